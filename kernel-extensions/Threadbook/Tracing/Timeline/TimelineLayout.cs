using Threadbook.Rendering;

namespace Threadbook.Tracing.Timeline;

/// <summary>
/// A trace turned into lanes, waits, spans and wake arrows, with the totals derived from them. The SVG timeline,
/// the Chrome trace JSON and the summary all read this one layout, so they always agree.
/// </summary>
internal sealed class TimelineLayout
{
    private readonly Dictionary<int, int> _laneByManagedId = [];

    private TimelineLayout(Trace trace, TimelineVocabulary vocabulary)
    {
        Trace = trace;
        Vocabulary = vocabulary;
        Start = trace.StartTimestamp;
        End = Math.Max(trace.EndTimestamp, trace.StartTimestamp);

        var eventsByLane = trace.Threads.Select(_ => new List<TraceEvent>()).ToArray();
        foreach (var e in trace.Events)
        {
            var lane = trace.LaneOf(e);
            if (lane >= 0 && lane < eventsByLane.Length)
            {
                eventsByLane[lane].Add(e);
            }
        }

        Lanes = trace.Threads.Select((thread, i) => LaneTimeline.Build(i, thread, eventsByLane[i], Start, End)).ToArray();
        for (var i = 0; i < trace.Threads.Count; i++)
        {
            if (trace.Threads[i].ThreadId != 0)
            {
                _laneByManagedId.TryAdd(trace.Threads[i].ThreadId, i);
            }
        }

        Wakes = FindWakes();
        Deadlocks = Lanes.SelectMany(l => l.Deadlocks.Select(e => new DeadlockMark(l.Index, e.Timestamp, SafeText.Clean(e.Label))))
            .OrderBy(d => d.Timestamp).ToArray();
        Objects = TallyObjects();
    }

    /// <summary>The trace laid out.</summary>
    public Trace Trace { get; }

    /// <summary>The words the drawing uses for the lane states (a trace's, unless the lanes were sampled).</summary>
    public TimelineVocabulary Vocabulary { get; }

    /// <summary>The trace's start, in Stopwatch ticks.</summary>
    public long Start { get; }

    /// <summary>The trace's end, in Stopwatch ticks (never before <see cref="Start"/>).</summary>
    public long End { get; }

    /// <summary>One lane per thread, in the trace's order.</summary>
    public IReadOnlyList<LaneTimeline> Lanes { get; }

    /// <summary>Every satisfied wait whose waker is a lane of the trace, by wait end.</summary>
    public IReadOnlyList<WakeArrow> Wakes { get; }

    /// <summary>Every deadlock reported, in time order.</summary>
    public IReadOnlyList<DeadlockMark> Deadlocks { get; }

    /// <summary>Every object named in the trace or its events, by id.</summary>
    public IReadOnlyList<ObjectActivity> Objects { get; }

    /// <summary>Lays out <paramref name="trace"/>.</summary>
    public static TimelineLayout Of(Trace trace) => Of(trace, TimelineVocabulary.Traced);

    /// <summary>Lays out <paramref name="trace"/>, to be drawn with <paramref name="vocabulary"/>'s words.</summary>
    public static TimelineLayout Of(Trace trace, TimelineVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(vocabulary);
        return new TimelineLayout(trace, vocabulary);
    }

    /// <summary>
    /// At most <paramref name="max"/> lane indices, in lane order: all of them when they fit, otherwise the lanes
    /// that reported deadlocks and then the busiest (most events).
    /// </summary>
    public IReadOnlyList<int> LanesWorthShowing(int max)
    {
        if (Lanes.Count <= max)
        {
            return Lanes.Select(l => l.Index).ToArray();
        }

        return Lanes
            .OrderByDescending(l => l.Deadlocks.Count > 0)
            .ThenByDescending(l => l.EventCount)
            .ThenBy(l => l.Index)
            .Take(max)
            .Select(l => l.Index)
            .Order()
            .ToArray();
    }

    /// <summary>A lane's totals, as the summary reports them.</summary>
    public ThreadActivity ActivityOf(LaneTimeline lane) => new(
        lane.Thread,
        TimeText.ToTimeSpan(lane.TicksIn(LaneState.Running)),
        TimeText.ToTimeSpan(lane.TicksIn(LaneState.Waiting)),
        TimeText.ToTimeSpan(lane.TicksIn(LaneState.Blocked)),
        lane.Waits.Count,
        TimeText.ToTimeSpan(lane.Waits.Count > 0 ? lane.Waits.Max(w => w.Length) : 0),
        lane.Waits.Count(w => w.Outcome == WaitOutcome.TimedOut),
        lane.StillRunningAtEnd,
        lane.UnfinishedWait is { } stuck ? Describe(stuck) : null);

    /// <summary>The lane of the thread with managed id <paramref name="threadId"/>, or -1.</summary>
    public int LaneOfThread(int threadId) => _laneByManagedId.GetValueOrDefault(threadId, -1);

    /// <summary>The lane label of thread <paramref name="threadId"/>, or "thread N" when it has no lane.</summary>
    public string ThreadName(int threadId) =>
        LaneOfThread(threadId) is var lane and >= 0 ? Lanes[lane].Label : $"thread {threadId}";

    /// <summary>How long after the trace's start <paramref name="timestamp"/> is ("12.3 ms").</summary>
    public string At(long timestamp) => TimeText.Duration(timestamp - Start);

    /// <summary>An object as a sentence names it: <c>'accounts' (RLock)</c>.</summary>
    public string ObjectText(int objectId) =>
        Trace.Objects.TryGetValue(objectId, out var o)
            ? $"'{SafeText.Clean(o.Name)}' ({SafeText.Clean(o.Kind)})"
            : $"'{SafeText.Clean(Trace.ObjectName(objectId))}'";

    /// <summary>What a wait was for, in a few words: "blocked on 'accounts' (RLock)", "sleeping".</summary>
    public string WhatFor(WaitSpan wait) => wait.Kind switch
    {
        WaitKind.Sleep => "sleeping",
        WaitKind.Join when wait.HeldBy != 0 => $"waiting for {ThreadName(wait.HeldBy)} to finish",
        WaitKind.Join => "waiting for a thread to finish",
        _ when wait.ObjectId == 0 => wait.State == LaneState.Blocked ? $"blocked on a {KindWord(wait.Kind)}" : $"waiting on a {KindWord(wait.Kind)}",
        _ => $"{(wait.State == LaneState.Blocked ? "blocked on" : "waiting for")} {ObjectText(wait.ObjectId)}",
    };

    /// <summary>What a wait was, without the thread: "blocked on 'accounts' (RLock) for 3.20 ms (1.0 ms to 4.2 ms); held by worker-2; woken by worker-2".</summary>
    public string Describe(WaitSpan wait)
    {
        var what = WhatFor(wait);
        var text = $"{what} for {TimeText.Duration(wait.Length)} ({At(wait.Begin)} to {At(wait.End)})";
        if (wait.HeldBy != 0 && wait.Kind != WaitKind.Join)
        {
            text += $"; held by {ThreadName(wait.HeldBy)}";
        }

        return text + wait.Outcome switch
        {
            WaitOutcome.Satisfied when wait.WokenBy != 0 => $"; woken by {ThreadName(wait.WokenBy)}",
            WaitOutcome.TimedOut => "; TIMED OUT",
            WaitOutcome.Deadlocked => "; ended by DEADLOCK detection",
            WaitOutcome.Cancelled => "; cancelled",
            WaitOutcome.Broken when wait.WokenBy != 0 => $"; barrier BROKEN by {ThreadName(wait.WokenBy)}",
            WaitOutcome.Broken => "; barrier BROKEN",
            _ when !wait.Ended => "; still waiting when the trace ended",
            _ => "",
        };
    }

    /// <summary>A point event, without the thread: "released 'accounts' (RLock) at 3.2 ms".</summary>
    public string Describe(TraceEvent e)
    {
        var what = e.Kind switch
        {
            TraceEventKind.Acquired => $"acquired {ObjectText(e.ObjectId)}",
            TraceEventKind.Released => $"released {ObjectText(e.ObjectId)}",
            TraceEventKind.EventSet => $"set {ObjectText(e.ObjectId)}",
            TraceEventKind.EventCleared => $"cleared {ObjectText(e.ObjectId)}",
            TraceEventKind.Notified => $"notified {ObjectText(e.ObjectId)}" + (e.Value > 0 ? $" (woke {e.Value})" : ""),
            TraceEventKind.BarrierPassed => $"arrived last at {ObjectText(e.ObjectId)}, letting all {e.Value} go",
            TraceEventKind.BarrierBroken => $"broke {ObjectText(e.ObjectId)}: {SafeText.Clean(e.Label)}",
            TraceEventKind.Mark => $"mark '{SafeText.Clean(e.Label)}'",
            TraceEventKind.Deadlock => $"DEADLOCK: {SafeText.Clean(e.Label)}",
            _ => e.Kind.ToString(),
        };
        return $"{what} at {At(e.Timestamp)}";
    }

    /// <summary>What a wake arrow shows: "worker-2 released 'accounts' (RLock) at 3.2 ms, waking worker-1 at 3.3 ms".</summary>
    public string Describe(WakeArrow wake)
    {
        var waker = Lanes[wake.FromLane].Label;
        var woken = Lanes[wake.ToLane].Label;
        var action = wake.Action switch
        {
            TraceEventKind.Released => "released",
            TraceEventKind.EventSet => "set",
            TraceEventKind.Notified => "notified",
            TraceEventKind.BarrierPassed => "arrived last at",
            _ => null,
        };
        var objectText = wake.Wait.ObjectId != 0 ? ObjectText(wake.Wait.ObjectId) : KindWord(wake.Wait.Kind);
        return action is null
            ? $"{waker} woke {woken} at {At(wake.ToTimestamp)} ({objectText})"
            : $"{waker} {action} {objectText} at {At(wake.FromTimestamp)}, waking {woken} at {At(wake.ToTimestamp)}";
    }

    private static string KindWord(WaitKind kind) => kind switch
    {
        WaitKind.RuntimeLock => "lock (seen by the runtime)",
        WaitKind.RuntimeWait => "wait handle (seen by the runtime)",
        WaitKind.None => "wait",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private List<WakeArrow> FindWakes()
    {
        // Each waker's actions per object, in time order (the trace's events are sorted).
        var actions = new Dictionary<(int ObjectId, int ThreadId), List<TraceEvent>>();
        foreach (var e in Trace.Events)
        {
            if (e.Kind is TraceEventKind.Released or TraceEventKind.EventSet or TraceEventKind.Notified or TraceEventKind.BarrierPassed && e.ObjectId != 0)
            {
                var key = (e.ObjectId, e.ThreadId);
                if (!actions.TryGetValue(key, out var list))
                {
                    actions[key] = list = [];
                }

                list.Add(e);
            }
        }

        var wakes = new List<WakeArrow>();
        foreach (var wait in Lanes.SelectMany(l => l.Waits))
        {
            if (wait.Outcome != WaitOutcome.Satisfied || wait.WokenBy == 0 || LaneOfThread(wait.WokenBy) is not (>= 0 and var from))
            {
                continue;
            }

            // The waking action is the waker's latest release/set/notify on the object up to the wait's end. One from
            // before the wait began cannot have woken it (the waker recorded its action late): use the wait's end then.
            TraceEvent? action = null;
            if (actions.TryGetValue((wait.ObjectId, wait.WokenBy), out var candidates))
            {
                var index = LatestAtOrBefore(candidates, wait.End);
                if (index >= 0 && candidates[index].Timestamp >= wait.Begin)
                {
                    action = candidates[index];
                }
            }

            wakes.Add(new WakeArrow(from, action?.Timestamp ?? wait.End, action?.Kind, wait));
        }

        wakes.Sort((a, b) => a.ToTimestamp.CompareTo(b.ToTimestamp));
        return wakes;
    }

    private static int LatestAtOrBefore(List<TraceEvent> sorted, long timestamp)
    {
        int low = 0, high = sorted.Count - 1, found = -1;
        while (low <= high)
        {
            var mid = (low + high) / 2;
            if (sorted[mid].Timestamp <= timestamp)
            {
                found = mid;
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }

        return found;
    }

    private List<ObjectActivity> TallyObjects()
    {
        var tallies = new SortedDictionary<int, ObjectTally>();
        ObjectTally TallyOf(int id) => tallies.TryGetValue(id, out var t) ? t : tallies[id] = new ObjectTally();

        foreach (var id in Trace.Objects.Keys)
        {
            TallyOf(id);
        }

        foreach (var lane in Lanes)
        {
            foreach (var e in lane.Instants.Where(e => e.ObjectId != 0))
            {
                var tally = TallyOf(e.ObjectId);
                switch (e.Kind)
                {
                    case TraceEventKind.Acquired: tally.Acquisitions++; break;
                    case TraceEventKind.Released: tally.Releases++; break;
                    case TraceEventKind.EventSet: tally.Sets++; break;
                    case TraceEventKind.EventCleared: tally.Clears++; break;
                    case TraceEventKind.Notified: tally.Notifications++; break;
                }
            }

            foreach (var e in lane.ContendedAcquisitions)
            {
                TallyOf(e.ObjectId).Contended++;
            }

            foreach (var wait in lane.Waits.Where(w => w.ObjectId != 0))
            {
                var tally = TallyOf(wait.ObjectId);
                tally.Waits++;
                tally.TotalWait += wait.Length;
                tally.LongestWait = Math.Max(tally.LongestWait, wait.Length);
                tally.Timeouts += wait.Outcome == WaitOutcome.TimedOut ? 1 : 0;
                tally.Deadlocked += wait.Outcome == WaitOutcome.Deadlocked ? 1 : 0;
            }
        }

        return tallies.Select(pair => new ObjectActivity(
            Trace.Objects.TryGetValue(pair.Key, out var o) ? o : new TraceObject(pair.Key, Trace.ObjectName(pair.Key), "object"),
            pair.Value.Acquisitions,
            pair.Value.Contended,
            pair.Value.Releases,
            pair.Value.Waits,
            TimeText.ToTimeSpan(pair.Value.TotalWait),
            TimeText.ToTimeSpan(pair.Value.LongestWait),
            pair.Value.Sets,
            pair.Value.Clears,
            pair.Value.Notifications,
            pair.Value.Timeouts,
            pair.Value.Deadlocked)).ToList();
    }

    private sealed class ObjectTally
    {
        public int Acquisitions;
        public int Contended;
        public int Releases;
        public int Waits;
        public long TotalWait;
        public long LongestWait;
        public int Sets;
        public int Clears;
        public int Notifications;
        public int Timeouts;
        public int Deadlocked;
    }
}
