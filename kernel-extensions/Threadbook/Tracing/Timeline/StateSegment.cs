namespace Threadbook.Tracing.Timeline;

/// <summary>
/// A stretch of one lane in one state. A lane's segments do not overlap and cover its whole life, so their
/// lengths add up to the thread's running, waiting and blocked totals.
/// </summary>
/// <param name="Begin">Start, in Stopwatch ticks.</param>
/// <param name="End">End, in Stopwatch ticks.</param>
/// <param name="State">What the thread was doing.</param>
/// <param name="Wait">The wait that put the lane in this state; null while running.</param>
internal readonly record struct StateSegment(long Begin, long End, LaneState State, WaitSpan? Wait)
{
    /// <summary>Length in Stopwatch ticks.</summary>
    public long Length => End - Begin;
}
