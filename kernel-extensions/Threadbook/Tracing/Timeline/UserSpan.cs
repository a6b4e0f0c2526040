namespace Threadbook.Tracing.Timeline;

/// <summary>A labelled span of work on one lane (<c>TraceRecorder.Span</c>).</summary>
/// <param name="Begin">Start, in Stopwatch ticks.</param>
/// <param name="End">End, in Stopwatch ticks (the lane's end when it never ended).</param>
/// <param name="Label">What the span was called.</param>
/// <param name="Depth">0 for an outermost span, 1 for a span inside it, and so on.</param>
/// <param name="Ended">False when the span was still open when its lane ended.</param>
internal sealed record UserSpan(long Begin, long End, string Label, int Depth, bool Ended)
{
    /// <summary>Length in Stopwatch ticks.</summary>
    public long Length => End - Begin;
}
