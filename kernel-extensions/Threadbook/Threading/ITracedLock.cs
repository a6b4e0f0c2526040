namespace Threadbook.Threading;

/// <summary>
/// What <see cref="TracedLock"/> (Python's <c>Lock</c>) and <see cref="TracedRLock"/> (Python's <c>RLock</c>) have in
/// common: the lock a <see cref="TracedCondition"/> is built on, as Python's <c>Condition(lock)</c> takes either.
/// </summary>
public interface ITracedLock
{
    /// <summary>The name shown in traces, tables and deadlock reports.</summary>
    string Name { get; }

    /// <summary>The id trace events about this lock carry.</summary>
    int ObjectId { get; }

    /// <summary>The thread that holds (acquired) the lock, or null when it is free.</summary>
    Thread? Owner { get; }

    /// <summary>The managed id of that thread, or 0 when the lock is free.</summary>
    int OwnerThreadId { get; }

    /// <summary>True while some thread holds the lock (Python's <c>locked()</c>).</summary>
    bool IsHeld { get; }

    /// <summary>True when the calling thread holds (acquired) the lock.</summary>
    bool IsHeldByCurrentThread { get; }

    /// <summary>How many threads are blocked waiting for the lock now.</summary>
    int WaiterCount { get; }

    /// <summary>Acquires the lock, waiting as long as it takes (Python's <c>acquire()</c>).</summary>
    /// <returns>True, as Python's <c>acquire()</c> returns.</returns>
    bool Acquire();

    /// <summary>Acquires the lock, waiting at most <paramref name="timeout"/> (<see cref="TimeSpan.Zero"/>: do not wait).</summary>
    /// <returns>True when acquired; false when the timeout passed first.</returns>
    bool Acquire(TimeSpan timeout);

    /// <summary>Acquires the lock, waiting at most <paramref name="millisecondsTimeout"/> ms (0: do not wait; -1: forever).</summary>
    /// <returns>True when acquired; false when the timeout passed first.</returns>
    bool Acquire(int millisecondsTimeout);

    /// <summary>Releases the lock (one level of an RLock).</summary>
    void Release();

    /// <summary>Acquires the lock and returns a scope that releases it: Python's <c>with lock:</c>.</summary>
    HoldScope Hold();

    /// <summary>Like <see cref="Hold()"/>, waiting at most <paramref name="timeout"/>, or a <see cref="TimeoutException"/>.</summary>
    HoldScope Hold(TimeSpan timeout);
}
