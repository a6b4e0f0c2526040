using System.Diagnostics;
using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// A re-entrant lock with the semantics of Python's <c>threading.RLock</c>, whose owner, recursion count and
/// waiters can be seen, and whose every acquire, wait and release is recorded into the active trace.
/// </summary>
/// <remarks>
/// <para>The thread that holds it may acquire it again; it is free once released as many times as acquired.
/// Only the owner may release it. <c>using (rlock.Hold()) { ... }</c> is Python's <c>with rlock:</c>.</para>
/// <para>An uncontended acquire and release costs a compare-and-swap and an interlocked exchange, close to a
/// plain <c>lock</c>, and records nothing but <see cref="Tracing.TraceEventKind.Acquired"/> and
/// <see cref="Tracing.TraceEventKind.Released"/> (with the recursion count) when a trace is active. A contended
/// acquire records <see cref="Tracing.TraceEventKind.WaitBegan"/> and <see cref="Tracing.TraceEventKind.WaitEnded"/>
/// (whose related thread is the one whose release let it in), spins briefly, then sleeps without using CPU.</para>
/// <para>A blocked acquire takes part in deadlock detection (see <see cref="DeadlockDetector"/>): if it is part of
/// a definite cycle of threads waiting for each other (untimed waits for RLocks only), it throws
/// <see cref="DeadlockException"/> instead of hanging. A timed acquire never throws it: it returns false at its timeout.</para>
/// <para>Like <c>lock</c>, it is owned by a thread: do not hold it across an <c>await</c>, which may resume on another thread.</para>
/// </remarks>
[DebuggerDisplay("{ToText(),nq}")]
public sealed class TracedRLock : IRenderable, ITracedLock
{
    private const string KindName = "RLock";
    private readonly LockCore _core;

    /// <summary>Creates a free lock. <paramref name="name"/> is shown in traces and reports (default <c>RLock#n</c>).</summary>
    public TracedRLock(string? name = null) => _core = new LockCore(name, KindName, isReentrant: true);

    /// <summary>The name shown in traces, tables and deadlock reports.</summary>
    public string Name => _core.Name;

    /// <summary>The id trace events about this lock carry.</summary>
    public int ObjectId => _core.ObjectId;

    /// <summary>The thread that holds the lock, or null when it is free.</summary>
    public Thread? Owner => _core.Owner;

    /// <summary>The managed id of the thread that holds the lock, or 0 when it is free.</summary>
    public int OwnerThreadId => _core.OwnerId;

    /// <summary>
    /// How many times the owner — whichever thread it is — has acquired it without releasing; 0 when free. See
    /// <see cref="RecursionCountOfCurrentThread"/> for the calling thread's own count.
    /// </summary>
    public int RecursionCount => _core.RecursionCount;

    /// <summary>
    /// How many times the calling thread has acquired it without releasing: the same as <see cref="RecursionCount"/>
    /// when the caller owns it, 0 when it is free or another thread holds it (Python 3.13's <c>_recursion_count()</c>).
    /// </summary>
    public int RecursionCountOfCurrentThread =>
        _core.OwnerId == Environment.CurrentManagedThreadId ? _core.RecursionCount : 0;

    /// <summary>True while some thread holds the lock.</summary>
    public bool IsHeld => _core.OwnerId != 0;

    /// <summary>True when the calling thread holds the lock.</summary>
    public bool IsHeldByCurrentThread => _core.OwnerId == Environment.CurrentManagedThreadId;

    /// <summary>How many threads are blocked waiting for the lock now.</summary>
    public int WaiterCount => _core.WaiterCount;

    /// <summary>The threads blocked waiting for the lock now (a snapshot).</summary>
    public IReadOnlyList<Thread> Waiters => _core.SnapshotWaiters();

    internal LockCore Core => _core;

    /// <summary>Acquires the lock, waiting as long as it takes; re-entrant for the owner.</summary>
    /// <returns>True, as Python's <c>acquire()</c> returns.</returns>
    /// <exception cref="DeadlockException">The wait was part of a definite deadlock and was ended to break it.</exception>
    public bool Acquire() => _core.Acquire(Deadline.Infinite);

    /// <summary>Acquires the lock, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when acquired; false when the timeout passed first (never a <see cref="DeadlockException"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or above int.MaxValue ms.</exception>
    public bool Acquire(TimeSpan timeout) => _core.Acquire(timeout);

    /// <summary>Acquires the lock, waiting at most <paramref name="millisecondsTimeout"/> ms (0: do not wait; -1: forever).</summary>
    /// <returns>True when acquired; false when the timeout passed first (never a <see cref="DeadlockException"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative other than -1.</exception>
    public bool Acquire(int millisecondsTimeout) => _core.Acquire(millisecondsTimeout);

    /// <summary>Releases one level of the calling thread's hold; the lock is free after the last one.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock; the message names the owner and the caller.</exception>
    public void Release() => _core.ReleaseByOwner();

    /// <summary>Acquires the lock and returns a scope that releases it: <c>using (rlock.Hold()) { ... }</c>.</summary>
    /// <exception cref="DeadlockException">The wait was part of a definite deadlock and was ended to break it.</exception>
    public HoldScope Hold() => _core.Hold();

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The lock could not be acquired in time; the message names the lock and its owner.</exception>
    public HoldScope Hold(TimeSpan timeout) => _core.Hold(timeout);

    /// <inheritdoc />
    public string ToHtml() => _core.ToHtml();

    /// <inheritdoc />
    public string ToText() => _core.ToText();

    /// <inheritdoc />
    public override string ToString() => _core.ToString();
}
