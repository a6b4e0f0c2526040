using System.Diagnostics;
using Threadbook.Rendering;
using Threadbook.Scheduling;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// A condition variable with the semantics of Python's <c>threading.Condition</c>, built on a
/// <see cref="TracedRLock"/> (its own by default) or a <see cref="TracedLock"/>: while holding the lock,
/// <see cref="Wait()"/> releases it completely (however many times an RLock was acquired), sleeps until
/// <see cref="Notify"/> or <see cref="NotifyAll"/>, then takes it back with the same recursion count. Notifications are Mesa-style: the notifier keeps the lock, and a woken waiter must
/// re-check what it waits for (<see cref="WaitFor(Func{bool})"/> does that loop).
/// </summary>
/// <remarks>
/// <para>Waiting or notifying without holding the lock throws <see cref="SynchronizationLockException"/>, as
/// Python raises <c>RuntimeError: cannot wait on un-acquired lock</c> (<c>notify on</c>). Over a
/// <see cref="TracedLock"/> "holding" means having acquired it; Python's <c>Condition</c> only asks whether a plain
/// <c>Lock</c> is locked by anyone, so there a thread may wait on a lock another thread acquired (a divergence).
/// Waiters are woken in the order they began waiting.</para>
/// <para>Trace: <see cref="TraceEventKind.WaitBegan"/>/<see cref="TraceEventKind.WaitEnded"/> with
/// <see cref="WaitKind.Condition"/> around the sleep (related thread: the notifier), the lock's own
/// <see cref="TraceEventKind.Released"/> (0 left) and <see cref="TraceEventKind.Acquired"/> (the restored
/// recursion), and <see cref="TraceEventKind.Notified"/> with the number of waiters woken.</para>
/// <para>Deadlocks: waiting for a notification has no owner to blame and is not a deadlock to the detector;
/// re-acquiring the lock afterwards is an ordinary lock wait and is (a definite one only over an RLock). If that re-acquire is ended by a
/// <see cref="DeadlockException"/>, the thread no longer holds the lock, and the releases its <c>using</c>
/// scopes (or <c>finally</c> blocks) make while unwinding are accepted silently, so the exception is not hidden.</para>
/// </remarks>
[DebuggerDisplay("{ToText(),nq}")]
public sealed class TracedCondition : IRenderable, IScheduledObject
{
    private const string KindName = "Condition";

    private readonly object _waitersGate = new();
    private readonly LinkedList<ConditionWaiter> _waiters = new();
    private readonly LockCore _core;

    /// <summary>
    /// Creates a condition on <paramref name="lock"/>, or on a new <see cref="TracedRLock"/> named
    /// <c>&lt;name&gt;.lock</c> when none is given. <paramref name="name"/> is shown in traces (default <c>Condition#n</c>).
    /// </summary>
    public TracedCondition(TracedRLock? @lock = null, string? name = null)
    {
        (ObjectId, Name) = PrimitiveRegistration.Register(name, KindName);
        var rlock = @lock ?? new TracedRLock($"{Name}.lock");
        Lock = rlock;
        _core = rlock.Core;
    }

    /// <summary>
    /// Creates a condition on a plain, non-re-entrant <paramref name="lock"/> (Python's <c>Condition(Lock())</c>).
    /// <paramref name="name"/> is shown in traces (default <c>Condition#n</c>).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="lock"/> is null.</exception>
    public TracedCondition(TracedLock @lock, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(@lock);
        (ObjectId, Name) = PrimitiveRegistration.Register(name, KindName);
        Lock = @lock;
        _core = @lock.Core;
    }

    /// <summary>The name shown in traces and tables.</summary>
    public string Name { get; }

    /// <summary>The id trace events about this condition carry.</summary>
    public int ObjectId { get; }

    /// <summary>The lock the condition releases while waiting and takes back afterwards: a <see cref="TracedRLock"/> or a <see cref="TracedLock"/>.</summary>
    public ITracedLock Lock { get; }

    /// <summary>How many threads are waiting for a notification now.</summary>
    public int WaiterCount
    {
        get
        {
            lock (_waitersGate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>The threads waiting for a notification now, oldest first (a snapshot).</summary>
    public IReadOnlyList<Thread> Waiters
    {
        get
        {
            lock (_waitersGate)
            {
                return _waiters.Select(waiter => waiter.Thread).ToArray();
            }
        }
    }

    /// <summary>Acquires the condition's lock (Python's <c>cond.acquire()</c>).</summary>
    /// <returns>True, as Python's <c>acquire()</c> returns.</returns>
    /// <exception cref="DeadlockException">The wait was part of a definite deadlock and was ended to break it.</exception>
    public bool Acquire() => Lock.Acquire();

    /// <summary>Acquires the condition's lock, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when acquired; false when the timeout passed first.</returns>
    public bool Acquire(TimeSpan timeout) => Lock.Acquire(timeout);

    /// <summary>Acquires the condition's lock, waiting at most <paramref name="millisecondsTimeout"/> ms (0: do not wait; -1: forever).</summary>
    /// <returns>True when acquired; false when the timeout passed first.</returns>
    public bool Acquire(int millisecondsTimeout) => Lock.Acquire(millisecondsTimeout);

    /// <summary>Releases one level of the condition's lock (Python's <c>cond.release()</c>).</summary>
    /// <exception cref="SynchronizationLockException">The lock is not held (by the calling thread, for an RLock).</exception>
    public void Release() => Lock.Release();

    /// <summary>Acquires the condition's lock for a <c>using</c> block: Python's <c>with cond:</c>.</summary>
    /// <exception cref="DeadlockException">The wait was part of a definite deadlock and was ended to break it.</exception>
    public HoldScope Hold() => Lock.Hold();

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The lock could not be acquired in time.</exception>
    public HoldScope Hold(TimeSpan timeout) => Lock.Hold(timeout);

    /// <summary>Releases the lock, waits for a notification, and takes the lock back.</summary>
    /// <returns>Always true, as in Python.</returns>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <exception cref="DeadlockException">Re-acquiring the lock was part of a deadlock and was ended; the lock is not held.</exception>
    public bool Wait() => Wait(Deadline.Infinite);

    /// <summary>Releases the lock, waits at most <paramref name="timeout"/> for a notification, and takes the lock back.</summary>
    /// <returns>True when notified; false when the timeout passed first. The lock is held again either way.</returns>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <exception cref="DeadlockException">Re-acquiring the lock was part of a deadlock and was ended; the lock is not held.</exception>
    public bool Wait(TimeSpan timeout) => Wait(Deadline.After(timeout, nameof(timeout)));

    /// <summary>Like <see cref="Wait(TimeSpan)"/> with a timeout of <paramref name="millisecondsTimeout"/> ms (-1: forever).</summary>
    /// <returns>True when notified; false when the timeout passed first.</returns>
    public bool Wait(int millisecondsTimeout) => Wait(Deadline.AfterMilliseconds(millisecondsTimeout, nameof(millisecondsTimeout)));

    /// <summary>Waits, as often as needed, until <paramref name="predicate"/> is true (Python's <c>wait_for</c>).</summary>
    /// <returns>The predicate's last value: always true.</returns>
    public bool WaitFor(Func<bool> predicate) => WaitFor(predicate, Timeout.InfiniteTimeSpan);

    /// <summary>
    /// Waits until <paramref name="predicate"/> is true or <paramref name="timeout"/> has passed in all; the
    /// predicate is evaluated with the lock held, first before any wait.
    /// </summary>
    /// <returns>The predicate's last value: false when the timeout passed with it still false.</returns>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    public bool WaitFor(Func<bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var deadline = Deadline.After(timeout, nameof(timeout));
        var result = predicate();
        while (!result)
        {
            if (deadline.HasPassed)
            {
                break;
            }

            var notified = Wait(deadline);
            result = predicate();

            // Under the explorer time is virtual: a wait that timed out means the whole timeout has passed.
            if (!notified && SchedulingHook.IsActive && SchedulingHook.Current is not null)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>Wakes up to <paramref name="count"/> waiting threads, oldest first. The caller keeps the lock.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    public void Notify(int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (SchedulingHook.IsActive)
        {
            SchedulingHook.Point(new ScheduledOperation(OperationKind.Notify, this));
        }

        EnsureLockHeld("notify on");
        var notifierId = Environment.CurrentManagedThreadId;
        var woken = new List<ConditionWaiter>();
        lock (_waitersGate)
        {
            while (woken.Count < count && _waiters.First is { } first)
            {
                _waiters.RemoveFirst();
                first.Value.MarkNotified(notifierId);
                woken.Add(first.Value);
            }
        }

        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.Notified, ObjectId, value: woken.Count);
        }

        foreach (var waiter in woken)
        {
            waiter.Wake();
        }
    }

    /// <summary>Wakes every waiting thread. The caller keeps the lock.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    public void NotifyAll() => Notify(int.MaxValue);

    /// <inheritdoc />
    public string ToHtml() => PrimitiveView.Html(Name, KindName, DescribeState, () => Waiters);

    /// <inheritdoc />
    public string ToText() => PrimitiveView.Text(Name, KindName, DescribeState, () => Waiters);

    /// <inheritdoc />
    public override string ToString() => $"{KindName} '{Name}': {DescribeState()}";

    string IScheduledObject.Kind => KindName;

    bool IScheduledObject.CanProceed(in ScheduledOperation operation, int threadId) =>
        operation.Kind != OperationKind.Resume || operation.Waiter is ConditionWaiter { IsNotified: true };

    string IScheduledObject.DescribeState(Func<int, string> threadName) => $"{WaiterCount} waiting";

    private bool Wait(Deadline deadline)
    {
        if (SchedulingHook.IsActive && SchedulingHook.Current is { } scheduled)
        {
            return WaitScheduled(scheduled, deadline);
        }

        EnsureLockHeld("wait on");
        var waiter = new ConditionWaiter(Thread.CurrentThread);
        LinkedListNode<ConditionWaiter> node;

        // Queued while the lock is still held: a notifier needs the lock, so it cannot slip in between
        // this thread's decision to wait and its place in the queue.
        lock (_waitersGate)
        {
            node = _waiters.AddLast(waiter);
        }

        var recursion = _core.ReleaseAllForConditionWait();
        var tracing = TraceRecorder.Active is not null;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, ObjectId, WaitKind.Condition);
        }

        var notified = false;
        try
        {
            notified = waiter.SleepUntilNotified(deadline);
            if (!notified)
            {
                lock (_waitersGate)
                {
                    // A notification that raced with the timeout still counts (and is not lost to others).
                    notified = waiter.IsNotified;
                    if (!notified)
                    {
                        _waiters.Remove(node);
                    }
                }
            }
        }
        catch (ThreadInterruptedException)
        {
            lock (_waitersGate)
            {
                if (!waiter.IsNotified)
                {
                    _waiters.Remove(node);
                }
            }

            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Condition, WaitOutcome.Cancelled);
            }

            _core.ReacquireAfterConditionWait(recursion);
            throw;
        }

        if (tracing)
        {
            TraceRecorder.Record(
                TraceEventKind.WaitEnded, ObjectId, WaitKind.Condition,
                notified ? WaitOutcome.Satisfied : WaitOutcome.TimedOut,
                relatedThreadId: notified ? waiter.NotifierId : 0);
        }

        _core.ReacquireAfterConditionWait(recursion);
        return notified;
    }

    /// <summary>
    /// A wait on a thread the explorer runs, in three steps: joining the waiters and releasing the lock; going on once
    /// notified (or timed out); taking the lock back (an ordinary acquire).
    /// </summary>
    private bool WaitScheduled(IScheduledThread scheduled, Deadline deadline)
    {
        EnsureLockHeld("wait on");
        scheduled.Yield(new ScheduledOperation(OperationKind.Wait, this) { AlsoChanges = _core, NeverWaits = true });
        var waiter = new ConditionWaiter(Thread.CurrentThread);
        LinkedListNode<ConditionWaiter> node;
        lock (_waitersGate)
        {
            node = _waiters.AddLast(waiter);
        }

        var recursion = _core.ReleaseAllForConditionWait();
        var notified = scheduled.Yield(ScheduledOperation.Until(OperationKind.Resume, this, deadline.Requested) with { Waiter = waiter });
        if (!notified)
        {
            lock (_waitersGate)
            {
                _waiters.Remove(node);
            }
        }

        _core.ReacquireAfterConditionWait(recursion);
        return notified;
    }

    private void EnsureLockHeld(string operation)
    {
        if (!Lock.IsHeldByCurrentThread)
        {
            throw new SynchronizationLockException(
                $"{ThreadLabel.Current()} cannot {operation} {KindName} '{Name}': it does not hold its lock '{Lock.Name}' " +
                $"(held by {_core.DescribeOwner()}). Acquire it first, e.g. using (cond.Hold()) {{ ... }} " +
                $"(Python: RuntimeError: cannot {operation.Replace(" on", "")} on un-acquired lock).");
        }
    }

    private string DescribeState() => !Lock.IsHeld
        ? $"lock '{PrimitiveView.Clip(Lock.Name)}' free"
        : _core.IsReentrant
            ? $"lock '{PrimitiveView.Clip(Lock.Name)}' held by {PrimitiveView.Clip(_core.DescribeOwner())}, recursion {_core.RecursionCount}"
            : $"lock '{PrimitiveView.Clip(Lock.Name)}' held by {PrimitiveView.Clip(_core.DescribeOwner())}";
}
