using System.Runtime.CompilerServices;
using Threadbook.Scheduling;
using Threadbook.Tracing;
using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// The owner word, waiter list and wait path that <see cref="TracedRLock"/> and <see cref="TracedLock"/>
/// share, and the timed acquire and hold overloads and rendering both delegate to. The owner is a managed
/// thread id taken with one compare-and-swap, so an uncontended acquire and release cost two interlocked
/// instructions and, with no trace active, one static read each for tracing.
/// A contended acquire spins briefly, then blocks in <see cref="BlockingAcquire"/>. Under the interleaving explorer
/// (<see cref="SchedulingHook"/>) every acquire and release is first a scheduling point, and a thread is chosen to
/// acquire only when it can, so it never blocks for real.
/// </summary>
/// <remarks>
/// Lost wake-ups: a waiter increments <see cref="WaiterCount"/> (interlocked) before its first attempt; a
/// releaser frees the owner word with an interlocked exchange and only then reads the count. Both are full
/// fences, so either the releaser sees the waiter and pulses the gate, or the waiter's attempt sees the lock
/// free. The pulse itself cannot be missed because attempts are made holding the gate.
/// </remarks>
internal sealed class LockCore : IBlockingTarget, IHeldResource
{
    // Short enough not to burn a core the owner may need (two cores here), long enough to catch a
    // critical section of a few hundred nanoseconds without a kernel sleep.
    private const int SpinAttempts = 12;

    // Holds a TracedCondition wait gave up and could not take back because re-acquiring the lock ended in a
    // deadlock: the scopes and Release calls that unwind them must not fail and hide the DeadlockException.
    [ThreadStatic]
    private static Dictionary<LockCore, int>? t_holdsLostToDeadlock;

    private readonly object _gate = new();
    private readonly List<Thread> _waiters = [];
    private int _ownerId;
    private Thread? _ownerThread;
    private int _recursion;
    private int _waiterCount;
    private int _lastReleaserId;
    private volatile bool _releasedByAnotherThread;

    public LockCore(string? name, string kind, bool isReentrant)
    {
        Kind = kind;
        IsReentrant = isReentrant;
        (ObjectId, Name) = PrimitiveRegistration.Register(name, kind);
    }

    public int ObjectId { get; }

    public string Name { get; }

    public string Kind { get; }

    public bool IsReentrant { get; }

    public object Gate => _gate;

    public int OwnerId => Volatile.Read(ref _ownerId);

    /// <summary>The owning thread; null when free (or in the instant between taking the owner word and recording the thread).</summary>
    public Thread? Owner
    {
        get
        {
            var id = OwnerId;
            var thread = Volatile.Read(ref _ownerThread);
            return id != 0 && thread?.ManagedThreadId == id ? thread : null;
        }
    }

    public int RecursionCount => OwnerId == 0 ? 0 : Volatile.Read(ref _recursion);

    public int WaiterCount => Volatile.Read(ref _waiterCount);

    public int DefiniteOwnerId => _releasedByAnotherThread ? 0 : OwnerId;

    /// <summary>An RLock only its owner can release; a Lock any thread may (Python's rules).</summary>
    public bool OnlyOwnerReleases => IsReentrant;

    public bool LooksFree => OwnerId == 0;

    /// <summary>True once a thread other than the acquirer released it (a <see cref="TracedLock"/> used as a signal).</summary>
    public bool ReleasedByAnotherThread => _releasedByAnotherThread;

    public Thread[] SnapshotWaiters()
    {
        lock (_gate)
        {
            return [.. _waiters];
        }
    }

    /// <summary>Acquires for the calling thread, setting the recursion count to <paramref name="recursion"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Acquire(Deadline deadline, int recursion = 1)
    {
        if (SchedulingHook.IsActive && SchedulingHook.Current is { } scheduled)
        {
            return AcquireScheduled(scheduled, deadline, recursion);
        }

        var threadId = Environment.CurrentManagedThreadId;
        if (Interlocked.CompareExchange(ref _ownerId, threadId, 0) == 0)
        {
            TookOwnership(recursion);
            return true;
        }

        return AcquireContended(threadId, deadline, recursion);
    }

    /// <summary>The public types' <c>Acquire(TimeSpan)</c>, its parameter named as theirs for argument errors.</summary>
    public bool Acquire(TimeSpan timeout) => Acquire(Deadline.After(timeout, nameof(timeout)));

    /// <summary>The public types' <c>Acquire(int)</c>, its parameter named as theirs for argument errors.</summary>
    public bool Acquire(int millisecondsTimeout) =>
        Acquire(Deadline.AfterMilliseconds(millisecondsTimeout, nameof(millisecondsTimeout)));

    /// <summary>The public types' <c>Hold()</c>: acquires, waiting as long as it takes, and returns the scope that releases.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public HoldScope Hold()
    {
        Acquire(Deadline.Infinite);
        return new HoldScope(this);
    }

    /// <summary>The public types' <c>Hold(TimeSpan)</c>: like <see cref="Hold()"/>, or a <see cref="TimeoutException"/> naming the holder.</summary>
    public HoldScope Hold(TimeSpan timeout)
    {
        if (!Acquire(timeout))
        {
            throw new TimeoutException(
                $"{ThreadLabel.Current()} could not acquire {Kind} '{Name}' within {timeout}: it is held by {DescribeOwner()}.");
        }

        return new HoldScope(this);
    }

    /// <summary><see cref="TracedRLock.Release"/>: only the owner may release; the last release frees the lock.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void ReleaseByOwner()
    {
        if (SchedulingHook.IsActive)
        {
            SchedulingHook.Point(new ScheduledOperation(OperationKind.Release, this));
        }

        var threadId = Environment.CurrentManagedThreadId;
        if (Volatile.Read(ref _ownerId) != threadId)
        {
            ReleaseByNonOwner(threadId);
            return;
        }

        var left = _recursion - 1;
        if (TraceRecorder.Active is not null)
        {
            RecordReleased(left);
        }

        if (left > 0)
        {
            _recursion = left;
            return;
        }

        Free(threadId);
    }

    /// <summary><see cref="TracedLock.Release"/>: any thread may release a locked lock, as in Python.</summary>
    public void ReleaseByAnyThread()
    {
        if (SchedulingHook.IsActive)
        {
            SchedulingHook.Point(new ScheduledOperation(OperationKind.Release, this));
        }

        var threadId = Environment.CurrentManagedThreadId;
        var ownerId = Volatile.Read(ref _ownerId);
        if (ownerId == threadId)
        {
            if (TraceRecorder.Active is not null)
            {
                RecordReleased(0);
            }

            Free(threadId);
            return;
        }

        if (ownerId == 0)
        {
            if (TryAbsorbLostHold())
            {
                return;
            }

            throw new SynchronizationLockException(
                $"{ThreadLabel.Current()} cannot release {Kind} '{Name}': it is not locked (Python: RuntimeError: release unlocked lock).");
        }

        if (TraceRecorder.Active is not null)
        {
            RecordReleased(0, relatedThreadId: ownerId);
        }

        // From now on this lock is a signal between threads, not something one thread owns.
        _releasedByAnotherThread = true;
        _lastReleaserId = threadId;
        if (Interlocked.CompareExchange(ref _ownerId, 0, ownerId) != ownerId)
        {
            throw new SynchronizationLockException(
                $"{ThreadLabel.Current()} cannot release {Kind} '{Name}': another thread released it at the same moment (Python: RuntimeError: release unlocked lock).");
        }

        if (Volatile.Read(ref _waiterCount) != 0)
        {
            WakeOneWaiter();
        }
    }

    void IHeldResource.ReleaseHold()
    {
        if (IsReentrant)
        {
            ReleaseByOwner();
        }
        else
        {
            ReleaseByAnyThread();
        }
    }

    /// <summary>For <see cref="TracedCondition"/>: releases every level of the caller's hold and returns how many there were.</summary>
    public int ReleaseAllForConditionWait()
    {
        var threadId = Environment.CurrentManagedThreadId;
        if (OwnerId != threadId)
        {
            throw new SynchronizationLockException($"{ThreadLabel.Current()} does not hold {Kind} '{Name}'.");
        }

        var recursion = _recursion;
        if (TraceRecorder.Active is not null)
        {
            RecordReleased(0);
        }

        Free(threadId);
        return recursion;
    }

    /// <summary>For <see cref="TracedCondition"/>: takes the lock back with the recursion it had before the wait.</summary>
    public void ReacquireAfterConditionWait(int recursion)
    {
        try
        {
            Acquire(Deadline.Infinite, recursion);
        }
        catch (DeadlockException)
        {
            var lost = t_holdsLostToDeadlock ??= [];
            lost[this] = lost.GetValueOrDefault(this) + recursion;
            throw;
        }
    }

    public bool TryTakeWhileGated(int threadId) =>
        Volatile.Read(ref _ownerId) == 0 && Interlocked.CompareExchange(ref _ownerId, threadId, 0) == 0;

    public void AddWaiter(Thread thread)
    {
        _waiters.Add(thread);
        Interlocked.Increment(ref _waiterCount);
    }

    public void RemoveWaiter(Thread thread)
    {
        _waiters.Remove(thread);
        Interlocked.Decrement(ref _waiterCount);
    }

    /// <summary>Who holds it, for messages: <c>worker-1 (#12)</c>, or <c>no thread</c>.</summary>
    public string DescribeOwner()
    {
        var id = OwnerId;
        return id == 0 ? "no thread" : Owner is { } owner ? ThreadLabel.Of(owner) : $"thread #{id}";
    }

    /// <summary>For the explorer: an acquire can go ahead when the lock is free, or held re-entrantly by the same thread.</summary>
    public bool CanProceed(in ScheduledOperation operation, int threadId) =>
        operation.Kind != OperationKind.Acquire || OwnerId == 0 || (IsReentrant && OwnerId == threadId);

    /// <summary>For the explorer's timeline: <c>free</c>, or the holder (with the recursion count when above one).</summary>
    public string DescribeState(Func<int, string> threadName)
    {
        var owner = OwnerId;
        var recursion = RecursionCount;
        return owner == 0 ? "free" : recursion > 1 ? $"{threadName(owner)} ×{recursion}" : threadName(owner);
    }

    /// <summary>The public types' <c>ToHtml()</c>.</summary>
    public string ToHtml() => PrimitiveView.Html(Name, Kind, DescribeState, SnapshotWaiters);

    /// <summary>The public types' <c>ToText()</c>.</summary>
    public string ToText() => PrimitiveView.Text(Name, Kind, DescribeState, SnapshotWaiters);

    /// <summary>The public types' <c>ToString()</c>: <c>RLock 'name': free</c>.</summary>
    public override string ToString() => $"{Kind} '{Name}': {DescribeState()}";

    private void Free(int threadId)
    {
        _recursion = 0;
        _ownerThread = null;
        _lastReleaserId = threadId;

        // A full fence between freeing the owner word and reading the waiter count (see the remarks).
        Interlocked.Exchange(ref _ownerId, 0);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            WakeOneWaiter();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeOneWaiter()
    {
        lock (_gate)
        {
            Monitor.Pulse(_gate);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ReleaseByNonOwner(int threadId)
    {
        if (TryAbsorbLostHold())
        {
            return;
        }

        var ownerId = OwnerId;
        var state = ownerId == 0 ? "it is not held by any thread" : $"it is held by {DescribeOwner()}";
        throw new SynchronizationLockException(
            $"{ThreadLabel.Of(Thread.CurrentThread)} cannot release {Kind} '{Name}': {state}. Only the thread that " +
            $"acquired an {Kind} may release it (Python: RuntimeError: cannot release un-acquired lock).");
    }

    private bool TryAbsorbLostHold()
    {
        if (t_holdsLostToDeadlock is not { } lost || !lost.TryGetValue(this, out var count))
        {
            return false;
        }

        if (count <= 1)
        {
            lost.Remove(this);
        }
        else
        {
            lost[this] = count - 1;
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool AcquireContended(int threadId, Deadline deadline, int recursion)
    {
        if (TryReenter(threadId))
        {
            return true;
        }

        if (deadline.IsImmediate)
        {
            return false;
        }

        var wait = TracedBlockingWait.Begin(this, WaitKind.Lock, relatedThreadId: OwnerId);
        var spinner = default(SpinWait);
        for (var i = 0; i < SpinAttempts && !deadline.HasPassed; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (TryTakeWhileGated(threadId))
            {
                return CompleteContendedAcquire(recursion, wait);
            }
        }

        var (acquired, verdict) = wait.Block(deadline);
        if (acquired)
        {
            return CompleteContendedAcquire(recursion, wait);
        }

        wait.EndWithoutAcquiring(verdict, relatedThreadId: OwnerId);
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void TookOwnership(int recursion)
    {
        _ownerThread = Thread.CurrentThread;
        _recursion = recursion;
        if (TraceRecorder.Active is not null)
        {
            RecordAcquired(recursion);
        }
    }

    /// <summary>
    /// An acquire on a thread the explorer runs: a scheduling point first; the explorer chooses the thread only once
    /// the lock is free for it (or lets a timed wait time out), so taking it then cannot fail, except for a try
    /// without waiting.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool AcquireScheduled(IScheduledThread scheduled, Deadline deadline, int recursion)
    {
        if (!scheduled.Yield(ScheduledOperation.Until(OperationKind.Acquire, this, deadline.Requested)))
        {
            return false;
        }

        var threadId = Environment.CurrentManagedThreadId;
        if (Interlocked.CompareExchange(ref _ownerId, threadId, 0) == 0)
        {
            TookOwnership(recursion);
            return true;
        }

        return TryReenter(threadId);
    }

    /// <summary>Takes one more level of a re-entrant lock the calling thread holds; false when it does not hold it.</summary>
    private bool TryReenter(int threadId)
    {
        if (!IsReentrant || Volatile.Read(ref _ownerId) != threadId)
        {
            return false;
        }

        var depth = ++_recursion;
        if (TraceRecorder.Active is not null)
        {
            RecordAcquired(depth);
        }

        return true;
    }

    private bool CompleteContendedAcquire(int recursion, TracedBlockingWait wait)
    {
        // The last releaser is the thread whose release let this one in: nobody else can release
        // between that release and this acquire (a TracedLock's cross-thread release aside).
        wait.End(WaitOutcome.Satisfied, relatedThreadId: Volatile.Read(ref _lastReleaserId));
        TookOwnership(recursion);
        return true;
    }

    // TracedRLock shows its recursion count; TracedLock says locked or unlocked, as Python does.
    private string DescribeState()
    {
        if (!IsReentrant)
        {
            return OwnerId == 0 ? "unlocked" : $"locked by {PrimitiveView.Clip(DescribeOwner())}";
        }

        var recursion = RecursionCount;
        return OwnerId == 0 ? "free" : $"held by {PrimitiveView.Clip(DescribeOwner())}, recursion {recursion}";
    }

    private void RecordAcquired(int recursion) =>
        TraceRecorder.Record(TraceEventKind.Acquired, ObjectId, value: recursion);

    private void RecordReleased(int recursionLeft, int relatedThreadId = 0) =>
        TraceRecorder.Record(TraceEventKind.Released, ObjectId, relatedThreadId: relatedThreadId, value: recursionLeft);
}
