using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Threadbook.Processes.SharedMemory;
using Threadbook.Rendering;
using Threadbook.Threading;
using Threadbook.Tracing;

namespace Threadbook.Processes;

/// <summary>
/// A lock shared by processes with the semantics of Python's <c>multiprocessing.Lock</c> (where <see cref="ProcessLock"/>
/// is <c>multiprocessing.RLock</c>): not re-entrant — a second <see cref="Acquire()"/> by the thread that holds it waits
/// like any other (with a timeout it returns false) — and not owned: any thread of any process may
/// <see cref="Release"/> it, as Python's semaphore-based lock allows; releasing a free lock throws. Pass it to a child
/// function as an argument; <c>using (processLock.Hold()) { ... }</c> is Python's <c>with lock:</c>.
/// </summary>
/// <remarks>
/// <para>The lock is a word in shared memory (a memory-mapped file of its own in <c>/dev/shm</c>) holding who took it
/// last (process and thread, for views and messages), or 0 when free. Taking it is one compare-and-swap; a waiter spins
/// briefly, then sleeps a millisecond at a time.</para>
/// <para>Unlike <see cref="ProcessLock"/>, a holder that dies does not free it: the lock is not owned, so another
/// process may still be meant to release it (Python's lock stays taken too). It does not take part in Threadbook's
/// deadlock detection; when a trace is recording, acquires, releases and waits in this process are recorded.</para>
/// </remarks>
[JsonConverter(typeof(NonReentrantProcessLockJsonConverter))]
public sealed unsafe class NonReentrantProcessLock : IRenderable, IDisposable, IHeldResource, IShareableHandle
{
    /// <summary>Python's message for releasing a lock that is not held (its <c>ValueError</c>).</summary>
    public const string ReleasedTooManyTimesMessage = "semaphore or lock released too many times";

    private const int SpinsBeforeSleeping = 100;
    private readonly SharedMemoryFile _file;
    private readonly bool _ownsFile;
    private readonly long* _holder;
    private readonly int* _waiters;
    private int _objectId;

    private NonReentrantProcessLock(SharedMemoryFile file, bool ownsFile)
    {
        _file = file;
        _ownsFile = ownsFile;
        _holder = (long*)file.LockSlot;
        _waiters = (int*)(file.LockSlot + 12);
    }

    /// <summary>The name of the shared memory that holds the lock (a file in <c>/dev/shm</c>).</summary>
    public string Name => _file.Name;

    /// <summary>True while it is taken (by any thread of any process).</summary>
    public bool IsHeld => Read(_holder) != 0;

    /// <summary>The process id of the thread that took it, or null when free.</summary>
    public int? HolderProcessId => Read(_holder) is var holder and not 0 ? (int)(holder >> 32) : null;

    /// <summary>The managed thread id (in its own process) of the thread that took it, or null when free.</summary>
    public int? HolderThreadId => Read(_holder) is var holder and not 0 ? (int)(uint)holder : null;

    /// <summary>How many threads (of all processes) are waiting for it now.</summary>
    public int WaiterCount => Read(_waiters);

    string IShareableHandle.HandleText => "NonReentrantProcessLock";

    private static long CurrentHolderId => ((long)Environment.ProcessId << 32) | (uint)Environment.CurrentManagedThreadId;

    /// <summary>Creates a free lock in a shared-memory file of its own (deleted when this lock is disposed, or at exit).</summary>
    public static NonReentrantProcessLock Create() => new(SharedMemoryFile.Create(SharedMemoryKind.Lock, "plain lock", 1, 0), ownsFile: true);

    /// <summary>Opens a lock by the shared memory its handle names.</summary>
    internal static NonReentrantProcessLock Open(string name) => new(SharedMemoryFile.Open(name, expectedKind: SharedMemoryKind.Lock), ownsFile: false);

    /// <summary>Acquires the lock, waiting as long as it takes; a thread that holds it already waits too (for another thread or process to release it).</summary>
    /// <returns>True, as Python's <c>acquire()</c>.</returns>
    public bool Acquire() => AcquireUntil(Deadline.Infinite);

    /// <summary>Acquires the lock, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when acquired; false when the timeout passed first (also when the calling thread holds it).</returns>
    public bool Acquire(TimeSpan timeout) => AcquireUntil(Deadline.After(timeout, nameof(timeout)));

    /// <summary>Frees the lock; any thread of any process may, as with Python's <c>multiprocessing.Lock</c>.</summary>
    /// <exception cref="SynchronizationLockException">The lock is not held (Python's <c>ValueError</c>: "semaphore or lock released too many times").</exception>
    public void Release()
    {
        var holder = Read(_holder);
        if (holder == 0 || Interlocked.CompareExchange(ref *_holder, 0, holder) != holder)
        {
            throw new SynchronizationLockException($"{ReleasedTooManyTimesMessage} (NonReentrantProcessLock '{Name}' is not held).");
        }

        RecordIfTracing(TraceEventKind.Released);
        _file.KeepAlive();
    }

    /// <summary>Acquires the lock and returns a scope that releases it: <c>using (processLock.Hold()) { ... }</c>.</summary>
    public HoldScope Hold()
    {
        Acquire();
        return new HoldScope(this);
    }

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The lock could not be acquired in time; the message names who took it.</exception>
    public HoldScope Hold(TimeSpan timeout)
    {
        if (!Acquire(timeout))
        {
            throw new TimeoutException($"NonReentrantProcessLock '{Name}' could not be acquired within {timeout.TotalSeconds:0.###} s: {HolderText()}.");
        }

        return new HoldScope(this);
    }

    void IHeldResource.ReleaseHold() => Release();

    /// <summary>Deletes the lock's shared-memory file if this process created it.</summary>
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
        var me = CurrentHolderId;
        if (Interlocked.CompareExchange(ref *_holder, me, 0) == 0)
        {
            RecordIfTracing(TraceEventKind.Acquired);
            _file.KeepAlive();
            return true;
        }

        if (deadline.IsImmediate)
        {
            _file.KeepAlive();
            return false;
        }

        var tracing = TraceRecorder.Active is not null;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, ObjectId, WaitKind.Lock);
        }

        Interlocked.Increment(ref *_waiters);
        var spinner = new SpinWait();
        var acquired = false;
        try
        {
            while (true)
            {
                if (Volatile.Read(ref *_holder) == 0 && Interlocked.CompareExchange(ref *_holder, me, 0) == 0)
                {
                    acquired = true;
                    break;
                }

                if (deadline.HasPassed)
                {
                    break;
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
                Interlocked.CompareExchange(ref _objectId, TraceRecorder.RegisterObject(Name, "NonReentrantProcessLock"), 0);
            }

            return _objectId;
        }
    }

    private void RecordIfTracing(TraceEventKind kind)
    {
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(kind, ObjectId, value: kind == TraceEventKind.Acquired ? 1 : 0);
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

    private string HolderText() => HolderProcessId is { } pid
        ? $"taken by thread {HolderThreadId} of process {pid}{(pid == Environment.ProcessId ? " (this process)" : "")}"
        : "free";

    private FactView View() => new(
        () => $"NonReentrantProcessLock '{Name}' (Python's multiprocessing.Lock)",
        () =>
        [
            ("state", HolderText()),
            ("waiting", WaiterCount.ToString(CultureInfo.InvariantCulture)),
            ("shared memory", _file.FilePath + (_file.IsDeleted ? " (deleted)" : "")),
            ("created by", $"process {_file.CreatorPid}{(_file.CreatorPid == Environment.ProcessId ? " (this process)" : "")}"),
        ]);
}
