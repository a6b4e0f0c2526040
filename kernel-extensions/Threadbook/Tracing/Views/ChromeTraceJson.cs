using System.Buffers;
using System.Text.Json;
using System.Text;
using Threadbook.Rendering;
using Threadbook.Tracing.Timeline;

namespace Threadbook.Tracing;

/// <summary>
/// Writes a trace in Chrome's trace-event format, which Perfetto (ui.perfetto.dev) and chrome://tracing open:
/// a track per thread with running, waiting and blocked slices and the user's spans, instant events for lock,
/// event and mark activity, and flow arrows from each waker to the thread it woke. Times are microseconds
/// from the trace's start.
/// </summary>
public static class ChromeTraceJson
{
    /// <summary>The trace as a Chrome trace-event JSON object (<c>{"traceEvents": [...], ...}</c>).</summary>
    public static string Write(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        var layout = TimelineLayout.Of(trace);
        var processId = Environment.ProcessId > 0 ? Environment.ProcessId : 1;
        var threadIds = TrackIds(layout);
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteStartArray("traceEvents");
            Metadata(json, processId, 0, "process_name", "name", $"Threadbook: {SafeText.Clean(trace.Title)}");
            foreach (var lane in layout.Lanes)
            {
                Metadata(json, processId, threadIds[lane.Index], "thread_name", "name", lane.Label);
                Metadata(json, processId, threadIds[lane.Index], "thread_sort_index", "sort_index", lane.Index);
            }

            foreach (var lane in layout.Lanes)
            {
                WriteLane(json, layout, lane, processId, threadIds[lane.Index]);
            }

            var flowId = 0;
            foreach (var wake in layout.Wakes.Where(w => w.FromLane != w.ToLane))
            {
                flowId++;
                WriteFlow(json, layout, "s", processId, threadIds[wake.FromLane], wake.FromTimestamp, flowId);
                WriteFlow(json, layout, "f", processId, threadIds[wake.ToLane], wake.ToTimestamp, flowId);
            }

            json.WriteEndArray();
            json.WriteString("displayTimeUnit", "ms");
            json.WriteStartObject("otherData");
            json.WriteString("title", SafeText.Clean(trace.Title));
            json.WriteString("recordedBy", "Threadbook");
            json.WriteString("droppedEvents", TimeText.Count(trace.DroppedEvents));
            json.WriteString("notes", string.Join(" | ", trace.Notes.Select(SafeText.Clean)));
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// A track id per lane: the managed thread id where known, else the OS thread id, so ids match what a
    /// debugger shows; a lane whose id is already taken gets one past every real id.
    /// </summary>
    private static int[] TrackIds(TimelineLayout layout)
    {
        var used = new HashSet<int>();
        var ids = new int[layout.Lanes.Count];
        foreach (var lane in layout.Lanes)
        {
            var preferred = lane.Thread.ThreadId != 0 ? lane.Thread.ThreadId : lane.Thread.OsThreadId;
            ids[lane.Index] = preferred > 0 && used.Add(preferred) ? preferred : -1;
        }

        var next = used.Count > 0 ? used.Max() : 0;
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = ids[i] >= 0 ? ids[i] : ++next;
        }

        return ids;
    }

    private static void WriteLane(Utf8JsonWriter json, TimelineLayout layout, LaneTimeline lane, int processId, int threadId)
    {
        // Slices on one track must nest. User spans may begin and end while the thread runs, so running stretches
        // are cut at span boundaries; waits need no cutting (a waiting thread records nothing).
        var cuts = lane.Spans.SelectMany(s => new[] { s.Begin, s.End }).Order().ToArray();
        var slices = new List<(long Begin, long End, string Name, string Category, WaitSpan? Wait, UserSpan? Span)>();
        var cut = 0;
        foreach (var segment in lane.Segments.Where(s => s.State == LaneState.Running))
        {
            var begin = segment.Begin;
            while (cut < cuts.Length && cuts[cut] <= begin)
            {
                cut++;
            }

            for (; cut < cuts.Length && cuts[cut] < segment.End; cut++)
            {
                slices.Add((begin, cuts[cut], "running", "state", null, null));
                begin = cuts[cut];
            }

            slices.Add((begin, segment.End, "running", "state", null, null));
        }

        slices.AddRange(lane.Waits.Select(w => (w.Begin, w.End, w.State == LaneState.Blocked ? "blocked" : "waiting", "state", (WaitSpan?)w, (UserSpan?)null)));
        slices.AddRange(lane.Spans.Select(s => (s.Begin, s.End, s.Label, "span", (WaitSpan?)null, (UserSpan?)s)));

        // Outer slices first when they start together, so a viewer nests them the right way round.
        foreach (var slice in slices.OrderBy(s => s.Begin).ThenByDescending(s => s.End - s.Begin))
        {
            json.WriteStartObject();
            json.WriteString("name", slice.Name);
            json.WriteString("cat", slice.Category);
            json.WriteString("ph", "X");
            Where(json, layout, processId, threadId, slice.Begin);
            json.WriteNumber("dur", Microseconds(slice.End - slice.Begin));
            if (slice.Wait is { } wait)
            {
                // Short fields rather than the timeline's sentence: a long trace has thousands of waits.
                json.WriteStartObject("args");
                json.WriteString("kind", wait.Kind.ToString());
                if (wait.ObjectId != 0)
                {
                    json.WriteString("object", SafeText.Clean(layout.Trace.ObjectName(wait.ObjectId)));
                }

                json.WriteString("outcome", wait.Ended ? wait.Outcome.ToString() : "still waiting at the end");
                if (wait.HeldBy != 0)
                {
                    json.WriteString(wait.Kind == WaitKind.Join ? "joined" : "heldBy", layout.ThreadName(wait.HeldBy));
                }

                if (wait.WokenBy != 0)
                {
                    json.WriteString("wokenBy", layout.ThreadName(wait.WokenBy));
                }

                json.WriteEndObject();
            }
            else if (slice.Span is { Ended: false })
            {
                json.WriteStartObject("args");
                json.WriteString("what", "still open when the trace ended");
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Lock, signal and mark instants are named by what they are, which says it all; deadlocks and timeouts
        // carry their full text (a deadlock's cycle does not fit in a name).
        var instants = lane.Instants.Concat(lane.Marks).Select(e => (e.Timestamp, Name: InstantName(layout, e), Category: InstantCategory(e.Kind), What: (string?)null))
            .Concat(lane.Deadlocks.Select(e => (e.Timestamp, Name: InstantName(layout, e), Category: InstantCategory(e.Kind), What: (string?)layout.Describe(e))))
            .Concat(lane.Waits.Where(w => w.Outcome is WaitOutcome.TimedOut or WaitOutcome.Deadlocked or WaitOutcome.Broken)
                .Select(w => (Timestamp: w.End, Name: w.Outcome switch { WaitOutcome.TimedOut => "timed out", WaitOutcome.Broken => "barrier broken", _ => "deadlocked" },
                    Category: "wait", What: (string?)layout.Describe(w))))
            .OrderBy(i => i.Timestamp);
        foreach (var instant in instants)
        {
            json.WriteStartObject();
            json.WriteString("name", instant.Name);
            json.WriteString("cat", instant.Category);
            json.WriteString("ph", "i");
            json.WriteString("s", "t");
            Where(json, layout, processId, threadId, instant.Timestamp);
            if (instant.What is not null)
            {
                json.WriteStartObject("args");
                json.WriteString("what", instant.What);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }
    }

    private static string InstantName(TimelineLayout layout, TraceEvent e) => e.Kind switch
    {
        TraceEventKind.Mark => SafeText.Clean(e.Label),
        TraceEventKind.Deadlock => "DEADLOCK",
        TraceEventKind.Acquired => $"acquired {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        TraceEventKind.Released => $"released {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        TraceEventKind.EventSet => $"set {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        TraceEventKind.EventCleared => $"cleared {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        TraceEventKind.Notified => $"notified {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        TraceEventKind.BarrierPassed => $"passed {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        TraceEventKind.BarrierBroken => $"broke {SafeText.Clean(layout.Trace.ObjectName(e.ObjectId))}",
        _ => e.Kind.ToString(),
    };

    private static string InstantCategory(TraceEventKind kind) => kind switch
    {
        TraceEventKind.Acquired or TraceEventKind.Released => "lock",
        TraceEventKind.EventSet or TraceEventKind.EventCleared or TraceEventKind.Notified or TraceEventKind.BarrierPassed or TraceEventKind.BarrierBroken => "signal",
        TraceEventKind.Deadlock => "deadlock",
        _ => "mark",
    };

    private static void WriteFlow(Utf8JsonWriter json, TimelineLayout layout, string phase, int processId, int threadId, long timestamp, int id)
    {
        json.WriteStartObject();
        json.WriteString("name", "woke");
        json.WriteString("cat", "woke");
        json.WriteString("ph", phase);
        json.WriteNumber("id", id);
        Where(json, layout, processId, threadId, timestamp);
        if (phase == "f")
        {
            // Bind the arrow's end to the slice around the wake-up (the wait that just ended), not the next one.
            json.WriteString("bp", "e");
        }

        json.WriteEndObject();
    }

    private static void Metadata(Utf8JsonWriter json, int processId, int threadId, string name, string argument, string value)
    {
        StartMetadata(json, processId, threadId, name);
        json.WriteString(argument, value);
        EndMetadata(json);
    }

    private static void Metadata(Utf8JsonWriter json, int processId, int threadId, string name, string argument, int value)
    {
        StartMetadata(json, processId, threadId, name);
        json.WriteNumber(argument, value);
        EndMetadata(json);
    }

    private static void StartMetadata(Utf8JsonWriter json, int processId, int threadId, string name)
    {
        json.WriteStartObject();
        json.WriteString("name", name);
        json.WriteString("ph", "M");
        json.WriteNumber("pid", processId);
        json.WriteNumber("tid", threadId);
        json.WriteStartObject("args");
    }

    private static void EndMetadata(Utf8JsonWriter json)
    {
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void Where(Utf8JsonWriter json, TimelineLayout layout, int processId, int threadId, long timestamp)
    {
        json.WriteNumber("pid", processId);
        json.WriteNumber("tid", threadId);
        json.WriteNumber("ts", Microseconds(timestamp - layout.Start));
    }

    private static double Microseconds(long ticks) => Math.Round(TimeText.Microseconds(ticks), 3);
}
