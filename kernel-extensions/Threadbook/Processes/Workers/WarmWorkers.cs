using System.Diagnostics;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;

namespace Threadbook.Processes;

/// <summary>
/// The warm spares: worker processes kept started and connected for the next <see cref="ChildProcess"/> or
/// <see cref="ProcessPool"/> (and where the worker program is).
/// </summary>
/// <remarks>
/// <para>Starting a .NET process takes tens of milliseconds (Python's <c>fork</c> takes a few), so once this process
/// has used a child or a pool it keeps <see cref="KeepWarm"/> idle worker processes started and connected. A new child
/// or pool takes those (and more are started in the background), so its first result arrives in milliseconds. A warm
/// worker has run no user code: it is as fresh as a newly started process. Warm workers that stay unused for
/// <see cref="WarmIdleTimeout"/> exit, and no more are kept until the next use. Like every worker, they exit when this
/// process ends.</para>
/// </remarks>
public static class WarmWorkers
{
    private static readonly TimeSpan RefillDelay = TimeSpan.FromMilliseconds(250);
    private static readonly object Gate = new();
    private static readonly List<WorkerProcess> Warm = [];
    private static int s_keepWarm = 2;
    private static bool s_keeping;
    private static long s_lastUse;
    private static Timer? s_expiry;
    private static int s_refillQueued;
    private static int s_parentWarmed;

    /// <summary>How many idle workers to keep started (default 2; 0 keeps none).</summary>
    public static int KeepWarm
    {
        get => Volatile.Read(ref s_keepWarm);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 16);
            Volatile.Write(ref s_keepWarm, value);
            Trim();
        }
    }

    /// <summary>How long warm workers wait unused before they exit (default 5 minutes).</summary>
    public static TimeSpan WarmIdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many warm workers exist now (started, not yet taken).</summary>
    public static int WarmCount
    {
        get
        {
            lock (Gate)
            {
                return Warm.Count(w => !w.HasExited);
            }
        }
    }

    /// <summary>The worker program this process starts (see the remarks on where it is looked for).</summary>
    /// <remarks>Set <c>THREADBOOK_WORKER</c> to choose it; otherwise it is the <c>Threadbook.Worker.dll</c> beside
    /// <c>Threadbook.dll</c> or in <c>threadbook-worker/</c> beside it (where a program that references the package gets
    /// it), or the package's <c>tools/worker/</c> copy.</remarks>
    /// <exception cref="FileNotFoundException">No worker program was found.</exception>
    public static string WorkerPath => WorkerLocator.Locate();

    /// <summary>Starts warm workers now (for instance before the first pool), so even the first pool answers quickly.</summary>
    public static void Prestart()
    {
        lock (Gate)
        {
            s_keeping = true;
            s_lastUse = Stopwatch.GetTimestamp();
        }

        Refill();
    }

    /// <summary>Waits until <see cref="KeepWarm"/> warm workers are ready (connected, and the recently used functions loaded), at most <paramref name="timeout"/>; true when they are.</summary>
    public static bool WaitUntilWarm(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (Gate)
            {
                if (Warm.Count(w => w.IsConnected && !w.HasExited) >= KeepWarm)
                {
                    return true;
                }
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                return false;
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>Ends the warm workers and keeps none until the next use.</summary>
    public static void Release()
    {
        List<WorkerProcess> retired;
        lock (Gate)
        {
            s_keeping = false;
            retired = [.. Warm];
            Warm.Clear();
        }

        retired.ForEach(Retire);
    }

    /// <summary>A worker for a child or a pool: a warm one when there is one (connected ones first), else a new one.</summary>
    internal static WorkerProcess Take()
    {
        WorkerProcess? taken = null;
        lock (Gate)
        {
            s_keeping = true;
            s_lastUse = Stopwatch.GetTimestamp();
            Warm.RemoveAll(w => w.HasExited);
            taken = Warm.FirstOrDefault(w => w.IsConnected) ?? Warm.FirstOrDefault();
            if (taken is not null)
            {
                Warm.Remove(taken);
            }
        }

        QueueRefill();
        return taken ?? WorkerProcess.Launch();
    }

    private static void QueueRefill()
    {
        if (Interlocked.Exchange(ref s_refillQueued, 1) == 0)
        {
            // Not on the caller's thread (a start takes a few ms), not in the caller's context (no cell owns a warm worker),
            // and a little later: starting .NET processes takes a core each for ~100 ms, which would slow down the first
            // tasks of the workers just taken (on two cores, measured: 71 ms to a new pool's first result instead of 35).
            using (ExecutionContext.SuppressFlow())
            {
                _ = Task.Delay(RefillDelay).ContinueWith(static _ =>
                {
                    Volatile.Write(ref s_refillQueued, 0);
                    Refill();
                }, TaskScheduler.Default);
            }
        }
    }

    private static void Refill()
    {
        if (Interlocked.Exchange(ref s_parentWarmed, 1) == 0)
        {
            // This side's serializer too, so the first task of the first pool does not pay for compiling it (~50 ms cold).
            ProcessJson.WarmUp();
        }

        while (true)
        {
            lock (Gate)
            {
                Warm.RemoveAll(w => w.HasExited);
                if (!s_keeping || Warm.Count >= KeepWarm)
                {
                    s_expiry ??= new Timer(_ => Expire(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
                    return;
                }
            }

            WorkerProcess started;
            try
            {
                using (ExecutionContext.SuppressFlow())
                {
                    started = WorkerProcess.Launch();
                    started.PrestartReader();
                }
            }
            catch (Exception)
            {
                return; // a pool or child that needs a worker will report why none starts
            }

            lock (Gate)
            {
                Warm.Add(started);
            }
        }
    }

    private static void Trim()
    {
        List<WorkerProcess> surplus;
        lock (Gate)
        {
            surplus = Warm.Skip(KeepWarm).ToList();
            Warm.RemoveAll(surplus.Contains);
        }

        surplus.ForEach(Retire);
    }

    private static void Expire()
    {
        lock (Gate)
        {
            if (!s_keeping || Stopwatch.GetElapsedTime(s_lastUse) < WarmIdleTimeout)
            {
                return;
            }
        }

        Release();
    }

    private static void Retire(WorkerProcess worker)
    {
        // Closing its connection is the worker's signal to exit; a worker still starting is killed.
        worker.ReleaseReader();
        if (worker.IsConnected)
        {
            worker.WaitConnected(TimeSpan.Zero).Dispose();
        }
        else
        {
            worker.Kill();
        }
    }
}
