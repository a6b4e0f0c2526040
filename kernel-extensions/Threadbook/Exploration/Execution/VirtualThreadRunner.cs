using Threadbook.Fibers;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// A long-lived OS thread that runs one virtual thread per schedule, so an exploration starts its threads once, not
/// once per schedule. Between turns it parks on its <see cref="Spot"/>, spinning briefly and yielding its core while it
/// spins: an exploration keeps more runners than a small machine has cores, and the one whose turn it is may be waiting
/// for the core a spinner holds (measured here on 2 busy cores: 2–5 times the schedules per second of a plain spin).
/// </summary>
internal sealed class VirtualThreadRunner
{
    private static int s_live;
    private readonly Thread _thread;
    private VirtualThread? _job;
    private volatile bool _stopping;

    public VirtualThreadRunner(int number)
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = $"explorer runner {number}" };
        Interlocked.Increment(ref s_live);

        // No flowed context: each virtual thread runs in the context of the code that called the explorer.
        _thread.UnsafeStart();
    }

    /// <summary>How many runner threads in the process have not ended (tests check that explorations leave none).</summary>
    public static int LiveCount => Volatile.Read(ref s_live);

    /// <summary>Where the runner waits for its turn.</summary>
    public ParkingSpot Spot { get; } = new();

    /// <summary>The managed id of the runner's thread, which its virtual thread's code runs with.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Starts <paramref name="thread"/> on this runner (called by whoever has the turn).</summary>
    public void Start(VirtualThread thread)
    {
        _job = thread;
        Spot.Unpark();
    }

    /// <summary>Asks the runner's thread to end once it is parked.</summary>
    public void Stop()
    {
        _stopping = true;
        Spot.Unpark();
    }

    /// <summary>Waits for the runner's thread to end.</summary>
    public bool Join(TimeSpan timeout) => _thread.Join(timeout);

    private void Loop()
    {
        try
        {
            RunJobs();
        }
        finally
        {
            Interlocked.Decrement(ref s_live);
        }
    }

    private void RunJobs()
    {
        // Checked after every job too: a runner stopped while its thread was parked mid-schedule unwinds that thread first.
        while (!_stopping)
        {
            Spot.Park(Timeout.Infinite, yieldWhileSpinning: true);
            if (_stopping)
            {
                return;
            }

            var job = _job;
            _job = null;
            job?.Run();
        }
    }
}
