namespace Threadbook.Threading;

/// <summary>
/// A lock or semaphore whose contended acquire runs <see cref="BlockingAcquire"/>: waiters sleep on
/// <see cref="Gate"/> (a private monitor) and every attempt to take the resource is made while holding it,
/// so a release that pulses the gate after freeing the resource can never slip between a failed attempt and
/// the sleep that follows it.
/// </summary>
internal interface IBlockingTarget : IWaitTarget
{
    /// <summary>The private monitor waiters sleep on and releasers pulse.</summary>
    object Gate { get; }

    /// <summary>One attempt to take the resource for <paramref name="threadId"/>; called with <see cref="Gate"/> held.</summary>
    bool TryTakeWhileGated(int threadId);

    /// <summary>True when the resource is free now (used to pass on a wake-up a leaving waiter may have consumed).</summary>
    bool LooksFree { get; }

    /// <summary>Adds a waiter to the list shown in <c>Waiters</c>; called with <see cref="Gate"/> held.</summary>
    void AddWaiter(Thread thread);

    /// <summary>Removes a waiter from that list; called with <see cref="Gate"/> held.</summary>
    void RemoveWaiter(Thread thread);

    /// <summary>How many threads are in the blocking loop now.</summary>
    int WaiterCount { get; }
}
