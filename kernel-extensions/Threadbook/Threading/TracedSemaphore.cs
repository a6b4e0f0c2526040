using System.Diagnostics;
using Threadbook.Rendering;
using Threadbook.Scheduling;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// A counting semaphore with the semantics of Python's <c>threading.Semaphore</c> (no maximum) or
/// <c>threading.BoundedSemaphore</c> (with <c>maxCount</c>): <see cref="Acquire()"/> takes a slot, waiting while
/// the count is zero; <see cref="Release()"/> gives one back, and throws if that would pass the maximum. Its
/// count, holders and waiters can be seen, and every acquire, wait and release is recorded into the active trace
/// (<see cref="TraceEventKind.Acquired"/> and <see cref="TraceEventKind.Released"/> carry the count afterwards).
/// </summary>
/// <remarks>
/// <para>The semaphore remembers which threads hold its slots while it is used as a lock. Any thread may release
/// a slot, as in Python; the first time a thread releases a slot it did not take, the semaphore is being used as a
/// signal, and from then on it keeps no holders.</para>
/// <para>A blocked acquire takes part in deadlock detection only while every slot is held by one and the same
/// thread (for example a semaphore of one slot used as a lock, or a thread acquiring twice a semaphore it alone
/// holds): only then is there a definite owner to wait for. Since any thread may release a slot, such a cycle is
/// only reported as suspected, never ended: a semaphore wait never throws <see cref="DeadlockException"/>. See
/// <see cref="DeadlockDetector"/>.</para>
/// </remarks>
[DebuggerDisplay("{ToText(),nq}")]
public sealed class TracedSemaphore : IRenderable, IBlockingTarget, IHeldResource
{
    private const string KindName = "Semaphore";

    private readonly object _gate = new();
    private readonly List<Thread> _waiters = [];
    private Dictionary<int, SlotHolder>? _holders = new();
    private int _count;
    private int _waiterCount;
    private int _lastReleaserId;
    private volatile int _definiteOwnerId;

    /// <summary>
    /// Creates a semaphore with <paramref name="initialCount"/> free slots (default 1, as Python's
    /// <c>Semaphore()</c>). With <paramref name="maxCount"/> it is bounded: releasing past that count throws
    /// (<see cref="Bounded"/> is Python's <c>BoundedSemaphore</c>, whose bound is its initial value).
    /// <paramref name="name"/> is shown in traces (default <c>Semaphore#n</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="initialCount"/> is negative (Python: <c>ValueError:
    /// semaphore initial value must be &gt;= 0</c>), or <paramref name="maxCount"/> is below it.</exception>
    public TracedSemaphore(int initialCount = 1, int? maxCount = null, string? name = null)
    {
        if (initialCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(initialCount), initialCount, "semaphore initial value must be >= 0");
        }

        if (maxCount is { } max && max < initialCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(maxCount), max, $"The maximum count must be at least the initial count ({initialCount}).");
        }

        _count = initialCount;
        MaxCount = maxCount;
        (ObjectId, Name) = PrimitiveRegistration.Register(name, KindName);
    }

    /// <summary>
    /// Python's <c>BoundedSemaphore(value)</c>: <paramref name="value"/> free slots (default 1), and releasing past
    /// <paramref name="value"/> throws <see cref="SemaphoreFullException"/> (Python: <c>ValueError: Semaphore released
    /// too many times</c>). The same as <c>new TracedSemaphore(value, maxCount: value, name)</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static TracedSemaphore Bounded(int value = 1, string? name = null) => new(value, value, name);

    /// <summary>The name shown in traces, tables and deadlock reports.</summary>
    public string Name { get; }

    /// <summary>The id trace events about this semaphore carry.</summary>
    public int ObjectId { get; }

    /// <summary>How many slots are free now.</summary>
    public int CurrentCount => Volatile.Read(ref _count);

    /// <summary>The most slots there may be, or null for an unbounded semaphore.</summary>
    public int? MaxCount { get; }

    /// <summary>How many threads are blocked waiting for a slot now.</summary>
    public int WaiterCount => Volatile.Read(ref _waiterCount);

    /// <summary>The threads blocked waiting for a slot now (a snapshot).</summary>
    public IReadOnlyList<Thread> Waiters
    {
        get
        {
            lock (_gate)
            {
                return [.. _waiters];
            }
        }
    }

    /// <summary>
    /// The threads holding slots now, in the order they took them (a snapshot); empty once the semaphore is used
    /// as a signal (see <see cref="HoldersAreKnown"/>).
    /// </summary>
    public IReadOnlyList<Thread> Holders
    {
        get
        {
            lock (_gate)
            {
                return _holders is null ? [] : _holders.Values.Select(holder => holder.Thread).ToArray();
            }
        }
    }

    /// <summary>False once a thread released a slot it had not taken: from then on holders are not tracked.</summary>
    public bool HoldersAreKnown => Volatile.Read(ref _holders) is not null;

    string IScheduledObject.Kind => KindName;

    int IWaitTarget.DefiniteOwnerId => _definiteOwnerId;

    // Any thread may release a slot, as in Python: a cycle through a semaphore is only ever suspected.
    bool IWaitTarget.OnlyOwnerReleases => false;

    object IBlockingTarget.Gate => _gate;

    bool IBlockingTarget.LooksFree => Volatile.Read(ref _count) > 0;

    /// <summary>Takes a slot, waiting as long as it takes.</summary>
    /// <returns>True, as Python's <c>acquire()</c> returns.</returns>
    public bool Acquire() => Acquire(Deadline.Infinite);

    /// <summary>Takes a slot, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when a slot was taken; false when the timeout passed first.</returns>
    public bool Acquire(TimeSpan timeout) => Acquire(Deadline.After(timeout, nameof(timeout)));

    /// <summary>Takes a slot, waiting at most <paramref name="millisecondsTimeout"/> ms (0: do not wait; -1: forever).</summary>
    /// <returns>True when a slot was taken; false when the timeout passed first.</returns>
    public bool Acquire(int millisecondsTimeout) =>
        Acquire(Deadline.AfterMilliseconds(millisecondsTimeout, nameof(millisecondsTimeout)));

    /// <summary>Gives back one slot, waking one waiter.</summary>
    /// <exception cref="SemaphoreFullException">The count is already at <see cref="MaxCount"/> (Python: <c>ValueError: Semaphore released too many times</c>).</exception>
    public void Release() => Release(1);

    /// <summary>Gives back <paramref name="releaseCount"/> slots, waking as many waiters.</summary>
    /// <exception cref="SemaphoreFullException">The count would pass <see cref="MaxCount"/>; nothing is released.</exception>
    public void Release(int releaseCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(releaseCount, 1);
        if (SchedulingHook.IsActive)
        {
            SchedulingHook.Point(new ScheduledOperation(OperationKind.Release, this));
        }

        var thread = Thread.CurrentThread;
        lock (_gate)
        {
            var limit = MaxCount ?? int.MaxValue;
            if (releaseCount > limit - _count)
            {
                throw new SemaphoreFullException(
                    $"{ThreadLabel.Of(thread)} cannot release {releaseCount} slot(s) of {KindName} '{Name}': its count is " +
                    $"{_count} and its maximum {limit} (Python: ValueError: Semaphore released too many times).");
            }

            _count += releaseCount;
            _lastReleaserId = thread.ManagedThreadId;
            ReturnSlots(thread.ManagedThreadId, releaseCount);
            if (TraceRecorder.Active is not null)
            {
                TraceRecorder.Record(TraceEventKind.Released, ObjectId, value: _count);
            }

            if (_waiterCount > 0)
            {
                if (releaseCount == 1)
                {
                    Monitor.Pulse(_gate);
                }
                else
                {
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>Takes a slot and returns a scope that gives it back: <c>using (semaphore.Hold()) { ... }</c>.</summary>
    public HoldScope Hold()
    {
        Acquire(Deadline.Infinite);
        return new HoldScope(this);
    }

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">No slot became free in time; the message names the semaphore.</exception>
    public HoldScope Hold(TimeSpan timeout)
    {
        if (!Acquire(Deadline.After(timeout, nameof(timeout))))
        {
            throw new TimeoutException(
                $"{ThreadLabel.Current()} could not acquire a slot of {KindName} '{Name}' within {timeout}: {DescribeState()}.");
        }

        return new HoldScope(this);
    }

    void IHeldResource.ReleaseHold() => Release(1);

    /// <inheritdoc />
    public string ToHtml() => PrimitiveView.Html(Name, KindName, DescribeState, () => Waiters);

    /// <inheritdoc />
    public string ToText() => PrimitiveView.Text(Name, KindName, DescribeState, () => Waiters);

    /// <inheritdoc />
    public override string ToString() => $"{KindName} '{Name}': {DescribeState()}";

    bool IBlockingTarget.TryTakeWhileGated(int threadId) => TryTakeSlot(Thread.CurrentThread);

    void IBlockingTarget.AddWaiter(Thread thread)
    {
        _waiters.Add(thread);
        Interlocked.Increment(ref _waiterCount);
    }

    void IBlockingTarget.RemoveWaiter(Thread thread)
    {
        _waiters.Remove(thread);
        Interlocked.Decrement(ref _waiterCount);
    }

    bool IScheduledObject.CanProceed(in ScheduledOperation operation, int threadId) =>
        operation.Kind != OperationKind.Acquire || Volatile.Read(ref _count) > 0;

    string IScheduledObject.DescribeState(Func<int, string> threadName) => $"count {Volatile.Read(ref _count)}";

    private bool Acquire(Deadline deadline)
    {
        // Under the explorer a thread is chosen to acquire only when a slot is free (or its timed wait times out).
        if (SchedulingHook.IsActive && !SchedulingHook.Point(ScheduledOperation.Until(OperationKind.Acquire, this, deadline.Requested)))
        {
            return false;
        }

        var thread = Thread.CurrentThread;
        lock (_gate)
        {
            if (TryTakeSlot(thread))
            {
                return true;
            }
        }

        if (deadline.IsImmediate)
        {
            return false;
        }

        var wait = TracedBlockingWait.Begin(this, WaitKind.Semaphore, relatedThreadId: _definiteOwnerId);
        var (acquired, verdict) = wait.Block(deadline);
        if (acquired)
        {
            wait.End(WaitOutcome.Satisfied, relatedThreadId: Volatile.Read(ref _lastReleaserId));
            return true;
        }

        wait.EndWithoutAcquiring(verdict, relatedThreadId: 0);
        return false;
    }

    // Called with the gate held.
    private bool TryTakeSlot(Thread thread)
    {
        if (_count == 0)
        {
            return false;
        }

        _count--;
        if (_holders is not null)
        {
            if (!_holders.TryGetValue(thread.ManagedThreadId, out var holder))
            {
                _holders[thread.ManagedThreadId] = holder = new SlotHolder(thread);
            }

            holder.Slots++;
            UpdateDefiniteOwner();
        }

        // Recorded with the gate held, so the count it carries is the count this acquire left.
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.Acquired, ObjectId, value: _count);
        }

        return true;
    }

    // Called with the gate held.
    private void ReturnSlots(int threadId, int slots)
    {
        if (_holders is null)
        {
            return;
        }

        if (_holders.TryGetValue(threadId, out var holder) && holder.Slots >= slots)
        {
            holder.Slots -= slots;
            if (holder.Slots == 0)
            {
                _holders.Remove(threadId);
            }
        }
        else
        {
            // A slot given back by a thread that did not take it: a signal, not a lock.
            Volatile.Write(ref _holders, null);
        }

        UpdateDefiniteOwner();
    }

    private void UpdateDefiniteOwner()
    {
        var owner = 0;
        if (_holders is { Count: 1 })
        {
            foreach (var threadId in _holders.Keys)
            {
                owner = threadId;
            }
        }

        _definiteOwnerId = owner;
    }

    private string DescribeState()
    {
        lock (_gate)
        {
            var count = MaxCount is { } max ? $"count {_count} of max {max}" : $"count {_count}";
            return _holders switch
            {
                null => $"{count} (used as a signal: holders not tracked)",
                { Count: 0 } => count,
                _ => $"{count}, held by {PrimitiveView.Threads(_holders.Values.Select(holder => holder.Thread).ToArray())}",
            };
        }
    }

    private sealed class SlotHolder(Thread thread)
    {
        public Thread Thread { get; } = thread;

        public int Slots { get; set; }
    }
}
