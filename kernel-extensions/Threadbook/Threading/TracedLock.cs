using System.Diagnostics;
using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// A plain, non-re-entrant lock with the semantics of Python's <c>threading.Lock</c>, whose holder and
/// waiters can be seen and whose every acquire, wait and release is recorded into the active trace.
/// </summary>
/// <remarks>
/// <para>Acquiring it while holding it blocks, as in Python: another thread may release it and let the wait go on
/// (a legal signalling pattern). It never throws <see cref="DeadlockException"/>: when no release has come after
/// <see cref="DeadlockDetector.ConfirmationDelay"/> the wait is reported as a suspected deadlock
/// (<see cref="DeadlockDetector.LastReport"/>, a trace event) and goes on waiting; a timed acquire returns false at its
/// timeout. Take it twice with a timeout to see the report without hanging the thread.</para>
/// <para>Any thread may release a locked lock, not only the one that acquired it (Python allows it; .NET's
/// closest type is <c>SemaphoreSlim(1, 1)</c>). Once that has happened the lock is treated as a signal between
/// threads and takes no further part in deadlock detection. Releasing an unlocked lock throws.</para>
/// <para>Costs and trace events are those of <see cref="TracedRLock"/>; <see cref="Tracing.TraceEventKind.Acquired"/>
/// carries 1 and <see cref="Tracing.TraceEventKind.Released"/> 0.</para>
/// </remarks>
[DebuggerDisplay("{ToText(),nq}")]
public sealed class TracedLock : IRenderable, ITracedLock
{
    private const string KindName = "Lock";
    private readonly LockCore _core;

    /// <summary>Creates an unlocked lock. <paramref name="name"/> is shown in traces and reports (default <c>Lock#n</c>).</summary>
    public TracedLock(string? name = null) => _core = new LockCore(name, KindName, isReentrant: false);

    /// <summary>The name shown in traces, tables and deadlock reports.</summary>
    public string Name => _core.Name;

    /// <summary>The id trace events about this lock carry.</summary>
    public int ObjectId => _core.ObjectId;

    /// <summary>The thread that acquired the lock and has not released it, or null when it is unlocked.</summary>
    public Thread? Owner => _core.Owner;

    /// <summary>The managed id of the thread that acquired the lock, or 0 when it is unlocked.</summary>
    public int OwnerThreadId => _core.OwnerId;

    /// <summary>True while the lock is locked (Python's <c>locked()</c>).</summary>
    public bool IsHeld => _core.OwnerId != 0;

    /// <summary>True when the calling thread acquired the lock and it has not been released since.</summary>
    public bool IsHeldByCurrentThread => _core.OwnerId == Environment.CurrentManagedThreadId;

    /// <summary>How many threads are blocked waiting for the lock now.</summary>
    public int WaiterCount => _core.WaiterCount;

    /// <summary>The threads blocked waiting for the lock now (a snapshot).</summary>
    public IReadOnlyList<Thread> Waiters => _core.SnapshotWaiters();

    internal LockCore Core => _core;

    /// <summary>
    /// Acquires the lock, waiting as long as it takes — also when the calling thread already holds it (until another
    /// thread releases it, as in Python; such a wait is reported as a suspected deadlock, never ended).
    /// </summary>
    /// <returns>True, as Python's <c>acquire()</c> returns.</returns>
    public bool Acquire() => _core.Acquire(Deadline.Infinite);

    /// <summary>Acquires the lock, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when acquired; false when the timeout passed first (never a <see cref="DeadlockException"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative (other than <see cref="Timeout.InfiniteTimeSpan"/>) or above int.MaxValue ms.</exception>
    public bool Acquire(TimeSpan timeout) => _core.Acquire(timeout);

    /// <summary>Acquires the lock, waiting at most <paramref name="millisecondsTimeout"/> ms (0: do not wait; -1: forever).</summary>
    /// <returns>True when acquired; false when the timeout passed first (never a <see cref="DeadlockException"/>).</returns>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is negative other than -1.</exception>
    public bool Acquire(int millisecondsTimeout) => _core.Acquire(millisecondsTimeout);

    /// <summary>Unlocks the lock. Any thread may do it, as in Python.</summary>
    /// <exception cref="SynchronizationLockException">The lock is not locked (Python: <c>RuntimeError: release unlocked lock</c>).</exception>
    public void Release() => _core.ReleaseByAnyThread();

    /// <summary>Acquires the lock and returns a scope that releases it: <c>using (l.Hold()) { ... }</c>.</summary>
    public HoldScope Hold() => _core.Hold();

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The lock could not be acquired in time; the message names the lock and its holder.</exception>
    public HoldScope Hold(TimeSpan timeout) => _core.Hold(timeout);

    /// <inheritdoc />
    public string ToHtml() => _core.ToHtml();

    /// <inheritdoc />
    public string ToText() => _core.ToText();

    /// <inheritdoc />
    public override string ToString() => _core.ToString();
}
