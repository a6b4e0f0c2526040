
namespace Threadbook.Tracing.Timeline;

/// <summary>One wait of one thread: from its <see cref="TraceEventKind.WaitBegan"/> to its <see cref="TraceEventKind.WaitEnded"/> (or the lane's end).</summary>
/// <param name="Lane">The lane (index in <see cref="Trace.Threads"/>).</param>
/// <param name="Begin">Start, in Stopwatch ticks.</param>
/// <param name="End">End, in Stopwatch ticks: the wait's end, or the lane's end when it never ended.</param>
/// <param name="Kind">What the thread waited for.</param>
/// <param name="ObjectId">The object waited on, or 0.</param>
/// <param name="Outcome">How the wait ended; <see cref="WaitOutcome.None"/> when it never did.</param>
/// <param name="HeldBy">The thread said to hold what was waited for (or, for a join, the thread joined); 0 when unknown.</param>
/// <param name="WokenBy">The thread that ended the wait; 0 when unknown.</param>
/// <param name="Ended">False when the thread was still waiting when its lane ended.</param>
internal sealed record WaitSpan(
    int Lane, long Begin, long End, WaitKind Kind, int ObjectId, WaitOutcome Outcome, int HeldBy, int WokenBy, bool Ended)
{
    /// <summary>Blocked for locks (someone holds what the thread needs), waiting for everything else.</summary>
    public LaneState State => Kind is WaitKind.Lock or WaitKind.Semaphore or WaitKind.RuntimeLock ? LaneState.Blocked : LaneState.Waiting;

    /// <summary>Length in Stopwatch ticks.</summary>
    public long Length => End - Begin;
}
