using Threadbook.Rendering;

namespace Threadbook.Tracing.Timeline;

/// <summary>
/// One lane of a trace turned into what renderers draw: the thread's life as non-overlapping state segments,
/// its waits, its user spans, its point events and its totals.
/// </summary>
internal sealed class LaneTimeline
{
    private LaneTimeline(int index, TraceThread thread)
    {
        Index = index;
        Thread = thread;
        Label = ThreadLabel(thread);
    }

    /// <summary>The lane's index in <see cref="Trace.Threads"/>.</summary>
    public int Index { get; }

    /// <summary>The thread.</summary>
    public TraceThread Thread { get; }

    /// <summary>"name #id (pool)": what the lane is called everywhere (cleaned, not escaped).</summary>
    public string Label { get; }

    /// <summary>Where the lane starts: its ThreadStarted, or the trace's start.</summary>
    public long Start { get; private set; }

    /// <summary>Where the lane ends: its ThreadStopped, or the trace's end.</summary>
    public long End { get; private set; }

    /// <summary>True when the thread's start was recorded.</summary>
    public bool Started { get; private set; }

    /// <summary>True when no stop was recorded: the thread was still alive when the trace ended.</summary>
    public bool StillRunningAtEnd { get; private set; }

    /// <summary>How many events the lane has.</summary>
    public int EventCount { get; private set; }

    /// <summary>The lane's life as contiguous, non-overlapping segments from <see cref="Start"/> to <see cref="End"/>.</summary>
    public IReadOnlyList<StateSegment> Segments { get; private set; } = [];

    /// <summary>Every wait, by start time (waits may nest, segments never do).</summary>
    public IReadOnlyList<WaitSpan> Waits { get; private set; } = [];

    /// <summary>User spans, by start time.</summary>
    public IReadOnlyList<UserSpan> Spans { get; private set; } = [];

    /// <summary>Acquired, Released, EventSet, EventCleared, Notified, BarrierPassed and BarrierBroken events, in time order.</summary>
    public IReadOnlyList<TraceEvent> Instants { get; private set; } = [];

    /// <summary>Acquired events that came right after a satisfied wait on the same object.</summary>
    public IReadOnlyList<TraceEvent> ContendedAcquisitions { get; private set; } = [];

    /// <summary>Mark events, in time order.</summary>
    public IReadOnlyList<TraceEvent> Marks { get; private set; } = [];

    /// <summary>Deadlock events, in time order.</summary>
    public IReadOnlyList<TraceEvent> Deadlocks { get; private set; } = [];

    /// <summary>The wait still open when the lane ended, if any.</summary>
    public WaitSpan? UnfinishedWait => Waits.LastOrDefault(w => !w.Ended);

    /// <summary>Total ticks in <paramref name="state"/>.</summary>
    public long TicksIn(LaneState state) => Segments.Where(s => s.State == state).Sum(s => s.Length);

    /// <summary>The lane's label for a thread: its name, id, and whether it is a pool or background thread.</summary>
    public static string ThreadLabel(TraceThread thread)
    {
        // Fibers and coroutines are lanes with negative ids (their names already say where they run).
        var id = thread.ThreadId > 0 ? $" #{thread.ThreadId}" : thread.ThreadId == 0 ? $" OS {thread.OsThreadId}" : "";
        var flags = thread.IsPoolThread ? " (pool)" : thread.IsBackground == true ? " (background)" : "";
        return $"{SafeText.Clean(thread.Name)}{id}{flags}";
    }

    /// <summary>Builds a lane from its events (in time order), clipped to the trace's [start, end].</summary>
    public static LaneTimeline Build(int index, TraceThread thread, IReadOnlyList<TraceEvent> events, long traceStart, long traceEnd)
    {
        var lane = new LaneTimeline(index, thread) { EventCount = events.Count };
        lane.Started = events.Any(e => e.Kind == TraceEventKind.ThreadStarted);
        // A pool thread only lends itself to the traced code now and then: draw it from its first to its last
        // event, not as a thread that ran (and still runs) for the whole recording.
        var borrowed = thread.IsPoolThread && !lane.Started && events.Count > 0;
        lane.StillRunningAtEnd = !borrowed && !events.Any(e => e.Kind == TraceEventKind.ThreadStopped);
        // A lane spans all its own events even if its start or stop was recorded out of place.
        var start = lane.Started || borrowed ? events[0].Timestamp : traceStart;
        var end = lane.StillRunningAtEnd ? traceEnd : events[^1].Timestamp;
        lane.Start = Math.Clamp(start, traceStart, traceEnd);
        lane.End = Math.Clamp(end, lane.Start, traceEnd);

        var openWaits = new List<TraceEvent>();
        var openSpans = new Stack<TraceEvent>();
        var waits = new List<WaitSpan>();
        var spans = new List<UserSpan>();
        var instants = new List<TraceEvent>();
        var contended = new List<TraceEvent>();
        var marks = new List<TraceEvent>();
        var deadlocks = new List<TraceEvent>();
        var lastSatisfiedWaitObject = 0;
        foreach (var e in events)
        {
            switch (e.Kind)
            {
                case TraceEventKind.WaitBegan:
                    openWaits.Add(e);
                    break;
                case TraceEventKind.WaitEnded:
                    // Match the innermost open wait on the same object; waits on different objects may nest
                    // (a traced lock's wait seen again through the runtime's contention events).
                    var match = openWaits.FindLastIndex(w => w.ObjectId == e.ObjectId);
                    match = match >= 0 ? match : openWaits.Count - 1;
                    if (match < 0)
                    {
                        break;
                    }

                    waits.Add(lane.WaitFrom(openWaits[match], e));
                    openWaits.RemoveAt(match);
                    lastSatisfiedWaitObject = e.Outcome == WaitOutcome.Satisfied ? e.ObjectId : 0;
                    break;
                case TraceEventKind.Acquired:
                    instants.Add(e);
                    if (e.ObjectId != 0 && e.ObjectId == lastSatisfiedWaitObject)
                    {
                        contended.Add(e);
                    }

                    lastSatisfiedWaitObject = 0;
                    break;
                case TraceEventKind.Released or TraceEventKind.EventSet or TraceEventKind.EventCleared or TraceEventKind.Notified
                    or TraceEventKind.BarrierPassed or TraceEventKind.BarrierBroken:
                    instants.Add(e);
                    break;
                case TraceEventKind.Mark:
                    marks.Add(e);
                    break;
                case TraceEventKind.SpanBegan:
                    openSpans.Push(e);
                    break;
                case TraceEventKind.SpanEnded when openSpans.Count > 0:
                    var began = openSpans.Pop();
                    spans.Add(lane.SpanFrom(began, openSpans.Count, lane.Clip(e.Timestamp), ended: true));
                    break;
                case TraceEventKind.Deadlock:
                    deadlocks.Add(e);
                    break;
            }
        }

        foreach (var open in openWaits)
        {
            waits.Add(lane.WaitFrom(open, end: null));
        }

        while (openSpans.Count > 0)
        {
            var began = openSpans.Pop();
            spans.Add(lane.SpanFrom(began, openSpans.Count, lane.End, ended: false));
        }

        waits.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        spans.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.Depth.CompareTo(b.Depth));
        lane.Waits = waits;
        lane.Spans = spans;
        lane.Instants = instants;
        lane.ContendedAcquisitions = contended;
        lane.Marks = marks;
        lane.Deadlocks = deadlocks;
        lane.Segments = lane.Flatten(waits);
        return lane;
    }

    private long Clip(long timestamp) => Math.Clamp(timestamp, Start, End);

    private WaitSpan WaitFrom(TraceEvent began, TraceEvent? end)
    {
        var begin = Clip(began.Timestamp);
        return new WaitSpan(
            Index,
            begin,
            end is { } ended ? Math.Max(begin, Clip(ended.Timestamp)) : End,
            began.WaitKind != WaitKind.None ? began.WaitKind : end?.WaitKind ?? WaitKind.None,
            began.ObjectId != 0 ? began.ObjectId : end?.ObjectId ?? 0,
            end?.Outcome ?? WaitOutcome.None,
            began.RelatedThreadId,
            end?.RelatedThreadId ?? 0,
            end is not null);
    }

    private UserSpan SpanFrom(TraceEvent began, int depth, long end, bool ended)
    {
        var begin = Clip(began.Timestamp);
        return new UserSpan(begin, Math.Max(begin, end), SafeText.Clean(began.Label), depth, ended);
    }

    /// <summary>
    /// Cuts the lane into segments: blocked while any lock wait is open, else waiting while any other wait is,
    /// else running. The segment's wait is the most recently begun open wait of that state.
    /// </summary>
    private List<StateSegment> Flatten(List<WaitSpan> waits)
    {
        var boundaries = new List<(long Time, bool Opens, WaitSpan Wait)>(waits.Count * 2);
        foreach (var wait in waits.Where(w => w.Length > 0))
        {
            boundaries.Add((wait.Begin, true, wait));
            boundaries.Add((wait.End, false, wait));
        }

        // At equal times, close before opening, so back-to-back waits do not look nested.
        boundaries.Sort((a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Opens.CompareTo(b.Opens));
        var segments = new List<StateSegment>();
        var open = new List<WaitSpan>();
        var cursor = Start;
        foreach (var (time, opens, wait) in boundaries)
        {
            if (time > cursor)
            {
                Append(segments, SegmentOf(cursor, time, open));
                cursor = time;
            }

            if (opens)
            {
                open.Add(wait);
            }
            else
            {
                open.Remove(wait);
            }
        }

        if (End > cursor)
        {
            Append(segments, SegmentOf(cursor, End, open));
        }

        return segments;

        static StateSegment SegmentOf(long begin, long end, List<WaitSpan> open)
        {
            var owner = open.LastOrDefault(w => w.State == LaneState.Blocked) ?? open.LastOrDefault();
            return new StateSegment(begin, end, owner?.State ?? LaneState.Running, owner);
        }

        static void Append(List<StateSegment> segments, StateSegment next)
        {
            if (segments.Count > 0 && segments[^1] is var last && last.State == next.State && ReferenceEquals(last.Wait, next.Wait) && last.End == next.Begin)
            {
                segments[^1] = last with { End = next.End };
            }
            else
            {
                segments.Add(next);
            }
        }
    }
}
