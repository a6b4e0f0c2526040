
namespace Threadbook.Tracing;

/// <summary>The outcome of a <see cref="TracedRun"/>: the trace and what became of the threads the code started.</summary>
/// <param name="Trace">The recording.</param>
/// <param name="Threads">Which threads ended, which are still running, which died.</param>
public sealed record TracedRunResult(Trace Trace, ThreadWaitResult Threads);
