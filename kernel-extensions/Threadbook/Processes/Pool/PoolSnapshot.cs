namespace Threadbook.Processes;

/// <summary>A <see cref="ProcessPool"/> at one moment: what a live view draws.</summary>
/// <param name="State">Running, closed or terminated.</param>
/// <param name="Processes">How many workers the pool keeps.</param>
/// <param name="Workers">Its workers now, then the last few that ended.</param>
/// <param name="Queued">Tasks submitted and not yet started.</param>
/// <param name="Submitted">Tasks submitted so far.</param>
/// <param name="Completed">Tasks that succeeded.</param>
/// <param name="Failed">Tasks that failed (raised, lost their worker, or were terminated).</param>
/// <param name="Recent">The last few tasks that finished, oldest first (at most <see cref="ProcessPool.RecentResultsKept"/>, however many ran).</param>
public sealed record PoolSnapshot(
    ProcessPoolState State,
    int Processes,
    IReadOnlyList<PoolWorkerSnapshot> Workers,
    int Queued,
    long Submitted,
    long Completed,
    long Failed,
    IReadOnlyList<PoolFinishedTask> Recent);
