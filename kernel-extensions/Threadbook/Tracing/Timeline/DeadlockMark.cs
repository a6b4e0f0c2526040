namespace Threadbook.Tracing.Timeline;

/// <summary>A detected deadlock: where and when it was reported, and the cycle it describes.</summary>
/// <param name="Lane">The lane of the thread that reported it.</param>
/// <param name="Timestamp">When, in Stopwatch ticks.</param>
/// <param name="Label">The description of the cycle.</param>
internal sealed record DeadlockMark(int Lane, long Timestamp, string Label);
