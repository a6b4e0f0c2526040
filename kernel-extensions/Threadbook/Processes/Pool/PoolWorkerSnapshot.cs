namespace Threadbook.Processes;

/// <summary>One worker process of a pool at one moment.</summary>
/// <param name="Number">The worker's number in the pool (1, 2, …; a replacement gets the next one).</param>
/// <param name="ProcessId">Its process id.</param>
/// <param name="State">What it is doing.</param>
/// <param name="CurrentTask">The call it is running (e.g. <c>Foo(3)</c>), or null.</param>
/// <param name="TasksDone">How many tasks it finished (succeeded or failed).</param>
/// <param name="TasksSent">Tasks handed to it and not finished (including the current one).</param>
public sealed record PoolWorkerSnapshot(int Number, int ProcessId, PoolWorkerState State, string? CurrentTask, int TasksDone, int TasksSent);
