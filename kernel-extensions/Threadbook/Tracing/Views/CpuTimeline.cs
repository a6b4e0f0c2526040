using System.Globalization;
using Threadbook.Introspection;
using Threadbook.Rendering;
using Threadbook.Tracing.Timeline;

namespace Threadbook.Tracing;

/// <summary>
/// A <see cref="CpuSampling"/> drawn on the trace timeline's renderer: one lane per OS thread, on a CPU (green), asleep
/// in the kernel (orange: waiting for a lock, the GIL, an event, I/O or time) or ready but waiting for a core (hatched),
/// with the overlap share in the header and how it was sampled under the lanes. More than <see cref="MaxLanes"/>
/// threads are folded: the busiest keep their lanes and the last lane stands for the rest, as the picture says.
/// </summary>
public sealed class CpuTimeline : IRenderable
{
    /// <summary>Lanes drawn at most; past it the quietest threads share one folded lane.</summary>
    public const int MaxLanes = 40;

    private readonly long? _start;
    private readonly long? _end;

    /// <summary>
    /// Draws <paramref name="sampling"/> under <paramref name="title"/>; <paramref name="start"/> and
    /// <paramref name="end"/> (Stopwatch ticks) put it on another timeline's time axis, such as a trace's.
    /// </summary>
    public CpuTimeline(CpuSampling sampling, string title, long? start = null, long? end = null)
    {
        ArgumentNullException.ThrowIfNull(sampling);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        Sampling = sampling;
        Title = title;
        _start = start;
        _end = end;
    }

    /// <summary>What was sampled.</summary>
    public CpuSampling Sampling { get; }

    /// <summary>The picture's title.</summary>
    public string Title { get; }

    /// <summary>The share, defined in words, for notes and documentation.</summary>
    public const string ShareDefinition =
        "The share: of the time at least one of these threads was on a CPU, the part in which two or more were (0% = they took turns, 100% = always together).";

    /// <summary>The self-contained SVG (no script, no style sheet).</summary>
    public string ToSvg()
    {
        var lanes = Sampling.Lanes(MaxLanes, out var folded);
        var notes = new List<string> { ShareDefinition, $"Sampled: {Sampling.MethodSentence}." };
        if (folded > 0)
        {
            notes.Add($"{Sampling.Threads.Count:N0} threads: the {lanes.Count - 1} busiest are drawn; the last lane folds the other {folded:N0} (on a CPU when any of them was). The share counts every thread.");
        }

        var headline = Sampling.OverlapShare is { } share
            ? string.Create(CultureInfo.InvariantCulture, $"2+ on a CPU at once: {share * 100:0}% of the busy time")
            : "never on a CPU";
        var vocabulary = new TimelineVocabulary("on a CPU", "asleep (lock, GIL, event, I/O, time)", "ready, waiting for a core", Sampled: true, headline, notes);
        return TimelineDrawing.Draw(TimelineLayout.Of(ToTrace(lanes), vocabulary));
    }

    /// <inheritdoc />
    public string ToHtml() =>
        $"<div class=\"threadbook-cpu-timeline\">{ToSvg()}<p>{SafeText.Xml(Capitalized(Sampling.ShareSentence))}.</p></div>";

    /// <inheritdoc />
    public string ToText()
    {
        var table = new Table("thread", "process", "TID", "on a CPU ms", "ready ms", "asleep ms") { Caption = $"{Title}: {Sampling.ShareSentence}" };
        foreach (var thread in Sampling.Threads)
        {
            table.AddRow(thread.Name, thread.ProcessId, thread.ThreadId,
                TimeText.TableMilliseconds(Sampling.TimeIn(thread, CpuState.OnCpu)),
                TimeText.TableMilliseconds(Sampling.TimeIn(thread, CpuState.Ready)),
                TimeText.TableMilliseconds(Sampling.TimeIn(thread, CpuState.Sleeping)));
        }

        return table.ToText() + Environment.NewLine + $"Sampled: {Sampling.MethodSentence}.";
    }

    /// <inheritdoc />
    public override string ToString() => ToText();

    private static string Capitalized(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>The lanes as a trace: a lane starts where its thread was first seen, and every stretch off a CPU is a wait.</summary>
    private Trace ToTrace(IReadOnlyList<SampledThread> lanes)
    {
        var times = Sampling.SampleTimes;
        var threads = new List<TraceThread>();
        var events = new List<TraceEvent>();
        foreach (var lane in lanes)
        {
            // A folded lane has no TID of its own: a negative id gives it a lane of its own without one.
            var managedId = lane.ThreadId == 0 ? -1 : 0;
            var thread = new TraceThread(managedId, lane.ThreadId, lane.Name, IsBackground: null, IsPoolThread: false);
            threads.Add(thread);
            var states = lane.States;
            var first = FirstPresent(states);
            if (first < 0)
            {
                continue;
            }

            var last = states.Count - 1;
            while (states[last] == CpuState.Absent)
            {
                last--;
            }

            events.Add(Event(times[first], TraceEventKind.ThreadStarted));
            for (var i = first; i <= last;)
            {
                var j = i + 1;
                while (j <= last && states[j] == states[i])
                {
                    j++;
                }

                if (states[i] is CpuState.Sleeping or CpuState.Ready)
                {
                    var kind = states[i] == CpuState.Ready ? WaitKind.Lock : WaitKind.Sleep;
                    events.Add(Event(times[i], TraceEventKind.WaitBegan, kind));
                    events.Add(Event(times[j], TraceEventKind.WaitEnded, kind, WaitOutcome.Satisfied));
                }

                i = j;
            }

            if (last < states.Count - 1)
            {
                events.Add(Event(times[last + 1], TraceEventKind.ThreadStopped));
            }

            TraceEvent Event(long at, TraceEventKind kind, WaitKind waitKind = WaitKind.None, WaitOutcome outcome = WaitOutcome.None) =>
                new(at, kind, managedId, lane.ThreadId, WaitKind: waitKind, Outcome: outcome);
        }

        var start = _start ?? (times.Count > 0 ? times[0] : 0);
        var end = _end ?? (times.Count > 0 ? times[^1] : start);
        return new Trace(Title, events, threads, [], start, end);
    }

    private static int FirstPresent(IReadOnlyList<CpuState> states)
    {
        for (var i = 0; i < states.Count; i++)
        {
            if (states[i] != CpuState.Absent)
            {
                return i;
            }
        }

        return -1;
    }
}
