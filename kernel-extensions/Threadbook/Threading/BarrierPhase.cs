namespace Threadbook.Threading;

/// <summary>Where a <see cref="TracedBarrier"/> is in its cycle (Python's <c>Barrier._state</c>).</summary>
internal enum BarrierPhase
{
    /// <summary>Threads are arriving; the next arrival gets the next index.</summary>
    Filling,

    /// <summary>All parties arrived and were let go; new arrivals wait until the last of them has left.</summary>
    Draining,

    /// <summary>Reset while threads waited: they leave with the broken error; new arrivals wait until they have left.</summary>
    Resetting,

    /// <summary>Broken (a timeout, an abort, a failed action) until <see cref="TracedBarrier.Reset"/>.</summary>
    Broken,
}
