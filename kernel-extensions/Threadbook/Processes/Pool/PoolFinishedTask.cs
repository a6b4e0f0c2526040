namespace Threadbook.Processes;

/// <summary>One task of a <see cref="ProcessPool"/> that finished, as a view lists it under "results so far".</summary>
/// <param name="TaskNumber">The task's number in its pool (1 for the first one submitted).</param>
/// <param name="Call">The call, e.g. <c>Foo(3)</c>.</param>
/// <param name="ProcessId">The worker that ran it, or null when no worker started it (the pool was terminated first, or its workers did not start).</param>
/// <param name="Succeeded">True when it returned a value.</param>
/// <param name="Outcome">Its value as text (e.g. <c>103</c>), or the error as <c>Type: message</c> (for an exception raised in the worker, the worker's exception type).</param>
/// <param name="Duration">How long it ran in its worker (the worker's own clock), or null when it never started.</param>
public sealed record PoolFinishedTask(long TaskNumber, string Call, int? ProcessId, bool Succeeded, string Outcome, TimeSpan? Duration);
