using Threadbook.Rendering;

namespace Threadbook.Tracing;

/// <summary>
/// A finished recording: what every thread did, in time order, with the objects they used. Render it as an
/// SVG timeline (<see cref="ToSvg"/>), as Chrome trace JSON for Perfetto (<see cref="ToChromeTraceJson"/>),
/// or as a text summary (<see cref="ToText"/>). A trace never changes after it is made.
/// </summary>
public sealed class Trace : IRenderable
{
    private readonly Dictionary<(int ThreadId, int OsThreadId), int> _laneByThread = [];

    /// <summary>
    /// Builds a trace from events (any order), the threads they ran on and the objects they name. Events from
    /// a thread known only by its OS id are attached to the thread with that OS id when there is one; threads
    /// that appear only in events get a lane of their own.
    /// </summary>
    public Trace(
        string title,
        IEnumerable<TraceEvent> events,
        IEnumerable<TraceThread> threads,
        IEnumerable<TraceObject> objects,
        long? startTimestamp = null,
        long? endTimestamp = null,
        IEnumerable<string>? notes = null,
        long droppedEvents = 0)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(threads);
        ArgumentNullException.ThrowIfNull(objects);
        Title = title;
        DroppedEvents = droppedEvents;
        Notes = notes?.ToArray() ?? [];

        var lanes = new List<TraceThread>();
        var managedToLane = new Dictionary<int, int>();
        var osToLane = new Dictionary<int, int>();
        foreach (var thread in threads)
        {
            AddLane(thread);
        }

        var normalized = new List<TraceEvent>();
        foreach (var e in events)
        {
            var resolved = e;
            if (e.ThreadId == 0 && e.OsThreadId != 0 && osToLane.TryGetValue(e.OsThreadId, out var byOs) && lanes[byOs].ThreadId != 0)
            {
                resolved = e with { ThreadId = lanes[byOs].ThreadId };
            }

            if (LaneIndex(resolved) < 0)
            {
                AddLane(new TraceThread(
                    resolved.ThreadId,
                    resolved.OsThreadId,
                    resolved.ThreadId != 0 ? $"thread {resolved.ThreadId}" : $"OS thread {resolved.OsThreadId}",
                    IsBackground: null,
                    IsPoolThread: false));
            }

            normalized.Add(resolved);
        }

        normalized.Sort((a, b) => a.Timestamp.CompareTo(b.Timestamp));
        Events = normalized;
        Threads = lanes;
        Objects = objects.ToDictionary(o => o.Id);
        StartTimestamp = startTimestamp ?? (normalized.Count > 0 ? normalized[0].Timestamp : 0);
        EndTimestamp = Math.Max(endTimestamp ?? 0, normalized.Count > 0 ? normalized[^1].Timestamp : StartTimestamp);

        void AddLane(TraceThread thread)
        {
            if ((thread.ThreadId != 0 && managedToLane.ContainsKey(thread.ThreadId)) ||
                (thread.ThreadId == 0 && osToLane.ContainsKey(thread.OsThreadId)))
            {
                return;
            }

            var index = lanes.Count;
            lanes.Add(thread);
            if (thread.ThreadId != 0)
            {
                managedToLane[thread.ThreadId] = index;
            }

            if (thread.OsThreadId != 0)
            {
                osToLane.TryAdd(thread.OsThreadId, index);
            }

            _laneByThread[(thread.ThreadId, thread.ThreadId != 0 ? 0 : thread.OsThreadId)] = index;
        }

        int LaneIndex(TraceEvent e) =>
            e.ThreadId != 0
                ? managedToLane.GetValueOrDefault(e.ThreadId, -1)
                : osToLane.GetValueOrDefault(e.OsThreadId, -1);
    }

    /// <summary>What was traced (shown as the timeline's title).</summary>
    public string Title { get; }

    /// <summary>Every event, in time order.</summary>
    public IReadOnlyList<TraceEvent> Events { get; }

    /// <summary>The lanes: every thread that appears, in the order first seen.</summary>
    public IReadOnlyList<TraceThread> Threads { get; }

    /// <summary>The objects events refer to, by id.</summary>
    public IReadOnlyDictionary<int, TraceObject> Objects { get; }

    /// <summary>Remarks about the recording (threads still running at the end, limits hit).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Events not recorded because a thread's buffer was full.</summary>
    public long DroppedEvents { get; }

    /// <summary>When the recording started, in Stopwatch ticks.</summary>
    public long StartTimestamp { get; }

    /// <summary>When the recording ended, in Stopwatch ticks.</summary>
    public long EndTimestamp { get; }

    /// <summary>How long the recording lasted.</summary>
    public TimeSpan Duration => Elapsed(EndTimestamp);

    /// <summary>Time from the start of the recording to <paramref name="timestamp"/>.</summary>
    public TimeSpan Elapsed(long timestamp) =>
        TimeSpan.FromSeconds((timestamp - StartTimestamp) / (double)System.Diagnostics.Stopwatch.Frequency);

    /// <summary>The index in <see cref="Threads"/> of the lane <paramref name="e"/> belongs to.</summary>
    public int LaneOf(TraceEvent e) =>
        _laneByThread.TryGetValue((e.ThreadId, e.ThreadId != 0 ? 0 : e.OsThreadId), out var lane) ? lane : -1;

    /// <summary>
    /// When <paramref name="thread"/> started and stopped, from the start of the recording: its ThreadStarted and
    /// ThreadStopped events, or the recording's start and end when it began before or outlived the recording.
    /// </summary>
    public (TimeSpan Start, TimeSpan End) LifetimeOf(TraceThread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        var lane = -1;
        for (var i = 0; i < Threads.Count; i++)
        {
            if (ReferenceEquals(Threads[i], thread) || Threads[i] == thread)
            {
                lane = i;
                break;
            }
        }

        if (lane < 0)
        {
            throw new ArgumentException($"{thread.Name} is not a thread of this trace.", nameof(thread));
        }

        var start = StartTimestamp;
        var end = EndTimestamp;
        foreach (var e in Events)
        {
            if (LaneOf(e) != lane)
            {
                continue;
            }

            if (e.Kind == TraceEventKind.ThreadStarted)
            {
                start = e.Timestamp;
            }
            else if (e.Kind == TraceEventKind.ThreadStopped)
            {
                end = e.Timestamp;
            }
        }

        return (Elapsed(start), Elapsed(end));
    }

    /// <summary>The name of object <paramref name="objectId"/>, or a placeholder when it is unknown.</summary>
    public string ObjectName(int objectId) =>
        Objects.TryGetValue(objectId, out var o) ? o.Name : objectId == 0 ? "" : $"object #{objectId}";

    /// <summary>The inline SVG timeline: one lane per thread, spans coloured by state, arrows from waker to woken.</summary>
    public string ToSvg() => TimelineSvg.Render(this);

    /// <summary>The trace in Chrome's trace-event JSON format (open it in Perfetto or chrome://tracing).</summary>
    public string ToChromeTraceJson() => ChromeTraceJson.Write(this);

    /// <summary>Writes <see cref="ToChromeTraceJson"/> to <paramref name="path"/>.</summary>
    public void ExportChromeTrace(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, ToChromeTraceJson());
    }

    /// <summary>Per-thread and per-object totals.</summary>
    public TraceSummary Summarize() => TraceSummary.Of(this);

    /// <inheritdoc />
    public string ToHtml() => $"<div class=\"threadbook-trace\">{ToSvg()}{Summarize().ToHtml()}</div>";

    /// <inheritdoc />
    public string ToText() => Summarize().ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();
}
