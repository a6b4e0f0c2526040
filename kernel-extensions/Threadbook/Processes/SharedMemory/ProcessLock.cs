using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Threadbook.Processes.SharedMemory;
using Threadbook.Rendering;
using Threadbook.Threading;
using Threadbook.Tracing;

namespace Threadbook.Processes;

/// <summary>
/// A lock shared by processes, with the semantics of Python's <c>multiprocessing.RLock</c>: one thread of one process
/// holds it at a time; that thread may acquire it again (re-entrant) and must release it as often. Pass it to a child
/// function as an argument; <c>using (processLock.Hold()) { ... }</c> is Python's <c>with lock:</c>.
/// </summary>
/// <remarks>
/// <para>The lock is a word in shared memory (a memory-mapped file, see <see cref="SharedArray{T}"/>) holding the
/// owner's process id and thread id, plus a recursion count. Taking a free lock is one compare-and-swap (tens of
/// nanoseconds); a waiter spins briefly, then yields, then sleeps a millisecond at a time. Measured here, that is
/// several times faster than a named <see cref="Mutex"/> (which on Linux also leaves files under <c>/tmp/.dotnet</c>),
/// both uncontended and with two processes taking turns.</para>
/// <para>If the owner process dies while holding it, a waiter notices (it checks every 50 ms) and takes the lock over,
/// as a robust mutex would; <see cref="Recoveries"/> counts that. Like Python's lock it is not fair, and it does not
/// take part in Threadbook's deadlock detection. When a trace is recording, acquires, releases and contended waits in
/// this process are recorded like a traced lock's.</para>
/// </remarks>
[JsonConverter(typeof(ProcessLockJsonConverter))]
public sealed unsafe class ProcessLock : IRenderable, IDisposable, IHeldResource, IShareableHandle
{
    private const int SpinsBeforeSleeping = 100;
    private static readonly long OwnerCheckTicks = Stopwatch.Frequency / 20;
    private readonly SharedMemoryFile _file;
    private readonly bool _ownsFile;
    private readonly long* _owner;
    private readonly int* _count;
    private readonly int* _waiters;
    private readonly int* _recoveries;
    private int _objectId;

    internal ProcessLock(SharedMemoryFile file, bool ownsFile)
    {
        _file = file;
        _ownsFile = ownsFile;
        _owner = (long*)file.LockSlot;
        _count = (int*)(file.LockSlot + 8);
        _waiters = (int*)(file.LockSlot + 12);
        _recoveries = (int*)(file.LockSlot + 16);
    }

    /// <summary>The name of the shared memory that holds the lock (a file in <c>/dev/shm</c>).</summary>
    public string Name => _file.Name;

    /// <summary>True while some thread of some process holds it.</summary>
    public bool IsHeld => Read(_owner) != 0;

    /// <summary>True when the calling thread holds it.</summary>
    public bool IsHeldByCurrentThread => Read(_owner) == CurrentOwnerId;

    /// <summary>The process id of the holder, or null when free.</summary>
    public int? OwnerProcessId => Read(_owner) is var owner and not 0 ? (int)(owner >> 32) : null;

    /// <summary>The managed thread id (in its own process) of the holder, or null when free.</summary>
    public int? OwnerThreadId => Read(_owner) is var owner and not 0 ? (int)(uint)owner : null;

    /// <summary>How many times the holder has acquired it without releasing; 0 when free.</summary>
    public int RecursionCount => IsHeld ? Read(_count) : 0;

    /// <summary>How many threads (of all processes) are waiting for it now.</summary>
    public int WaiterCount => Read(_waiters);

    /// <summary>How many times a waiter took the lock over from a holder whose process had died.</summary>
    public int Recoveries => Read(_recoveries);

    string IShareableHandle.HandleText => "ProcessLock";

    private static long CurrentOwnerId => ((long)Environment.ProcessId << 32) | (uint)Environment.CurrentManagedThreadId;

    /// <summary>Creates a free lock in a shared-memory file of its own (deleted when this lock is disposed, or at exit).</summary>
    public static ProcessLock Create() => new(SharedMemoryFile.Create(SharedMemoryKind.Lock, "lock", 1, 0), ownsFile: true);

    /// <summary>Opens a lock by the shared memory its handle names (a lock of its own, or a shared array's).</summary>
    internal static ProcessLock Open(string name) => new(SharedMemoryFile.Open(name, expectedKind: null), ownsFile: false);

    /// <summary>Acquires the lock, waiting as long as it takes; re-entrant for the holding thread.</summary>
    public void Acquire() => AcquireUntil(Deadline.Infinite);

    /// <summary>Acquires the lock, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when acquired; false when the timeout passed first.</returns>
    public bool Acquire(TimeSpan timeout) => AcquireUntil(Deadline.After(timeout, nameof(timeout)));

    /// <summary>Releases one level of the calling thread's hold; the lock is free after the last one.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    public void Release()
    {
        var me = CurrentOwnerId;
        var owner = Read(_owner);
        if (owner != me)
        {
            throw new SynchronizationLockException(owner == 0
                ? $"ProcessLock '{Name}' is not held: release it only after acquiring it."
                : $"ProcessLock '{Name}' is held by thread {(int)(uint)owner} of process {(int)(owner >> 32)}, not by the calling thread " +
                  $"{Environment.CurrentManagedThreadId} of process {Environment.ProcessId}: only the holder may release it.");
        }

        var left = --*_count;
        if (left == 0)
        {
            Volatile.Write(ref *_owner, 0);
        }

        RecordIfTracing(TraceEventKind.Released, left);
        _file.KeepAlive();
    }

    /// <summary>Acquires the lock and returns a scope that releases it: <c>using (processLock.Hold()) { ... }</c>.</summary>
    public HoldScope Hold()
    {
        Acquire();
        return new HoldScope(this);
    }

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The lock could not be acquired in time; the message names the holder.</exception>
    public HoldScope Hold(TimeSpan timeout)
    {
        if (!Acquire(timeout))
        {
            throw new TimeoutException($"ProcessLock '{Name}' could not be acquired within {timeout.TotalSeconds:0.###} s: {HolderText()}.");
        }

        return new HoldScope(this);
    }

    void IHeldResource.ReleaseHold() => Release();

    /// <summary>Deletes the lock's shared-memory file if this process created the lock on its own (a lock inside a <see cref="SharedArray{T}"/> goes with the array).</summary>
    public void Dispose()
    {
        if (_ownsFile)
        {
            _file.Delete();
        }
    }

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();

    private bool AcquireUntil(Deadline deadline)
    {
        var me = CurrentOwnerId;
        var owner = Read(_owner);
        if (owner == me)
        {
            var depth = ++*_count;
            RecordIfTracing(TraceEventKind.Acquired, depth);
            return true;
        }

        if (owner == 0 && Interlocked.CompareExchange(ref *_owner, me, 0) == 0)
        {
            *_count = 1;
            RecordIfTracing(TraceEventKind.Acquired, 1);
            return true;
        }

        return deadline.IsImmediate ? false : AcquireContended(me, deadline);
    }

    private bool AcquireContended(long me, Deadline deadline)
    {
        var tracing = TraceRecorder.Active is not null;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, ObjectId, WaitKind.Lock);
        }

        Interlocked.Increment(ref *_waiters);
        var spinner = new SpinWait();
        var nextOwnerCheck = Stopwatch.GetTimestamp() + OwnerCheckTicks;
        var acquired = false;
        try
        {
            while (true)
            {
                var owner = Read(_owner);
                if (owner == 0 && Interlocked.CompareExchange(ref *_owner, me, 0) == 0)
                {
                    acquired = true;
                    break;
                }

                if (deadline.HasPassed)
                {
                    break;
                }

                if (owner != 0 && Stopwatch.GetTimestamp() >= nextOwnerCheck)
                {
                    nextOwnerCheck = Stopwatch.GetTimestamp() + OwnerCheckTicks;
                    if (!SharedMemoryFile.ProcessIsAlive((int)(owner >> 32)) && Interlocked.CompareExchange(ref *_owner, me, owner) == owner)
                    {
                        // Its holder died holding it: as a robust mutex does, hand it to the next taker.
                        Interlocked.Increment(ref *_recoveries);
                        acquired = true;
                        break;
                    }
                }

                if (spinner.Count < SpinsBeforeSleeping)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref *_waiters);
        }

        if (acquired)
        {
            *_count = 1;
        }

        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Lock, acquired ? WaitOutcome.Satisfied : WaitOutcome.TimedOut);
            if (acquired)
            {
                TraceRecorder.Record(TraceEventKind.Acquired, ObjectId, value: 1);
            }
        }

        _file.KeepAlive();
        return acquired;
    }

    private int ObjectId
    {
        get
        {
            if (_objectId == 0)
            {
                Interlocked.CompareExchange(ref _objectId, TraceRecorder.RegisterObject(Name, "ProcessLock"), 0);
            }

            return _objectId;
        }
    }

    private void RecordIfTracing(TraceEventKind kind, long depth)
    {
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(kind, ObjectId, value: depth);
        }
    }

    private long Read(long* word)
    {
        var value = Volatile.Read(ref *word);
        _file.KeepAlive();
        return value;
    }

    private int Read(int* word)
    {
        var value = Volatile.Read(ref *word);
        _file.KeepAlive();
        return value;
    }

    private string HolderText() => OwnerProcessId is { } pid
        ? $"held by thread {OwnerThreadId} of process {pid}{(pid == Environment.ProcessId ? " (this process)" : "")}, {RecursionCount} deep"
        : "free";

    private FactView View() => new(
        () => $"ProcessLock '{Name}'",
        () =>
        [
            ("state", HolderText()),
            ("waiting", WaiterCount.ToString(CultureInfo.InvariantCulture)),
            ("taken over from a dead holder", Recoveries.ToString(CultureInfo.InvariantCulture)),
            ("shared memory", _file.FilePath + (_file.IsDeleted ? " (deleted)" : "")),
            ("created by", $"process {_file.CreatorPid}{(_file.CreatorPid == Environment.ProcessId ? " (this process)" : "")}"),
        ]);
}
