
namespace Threadbook.Tracing.Timeline;

/// <summary>One thread waking another: from the waker's lane at its waking action to the woken lane at its wait's end.</summary>
/// <param name="FromLane">The waker's lane.</param>
/// <param name="FromTimestamp">When the waker released, set or notified (the wait's end when no such action was recorded).</param>
/// <param name="Action">What the waker did (Released, EventSet or Notified); null when no action was found.</param>
/// <param name="Wait">The wait that ended; its lane is the woken lane and its end the arrow's end.</param>
internal sealed record WakeArrow(int FromLane, long FromTimestamp, TraceEventKind? Action, WaitSpan Wait)
{
    /// <summary>The woken lane.</summary>
    public int ToLane => Wait.Lane;

    /// <summary>When the woken thread's wait ended.</summary>
    public long ToTimestamp => Wait.End;
}
