using System.Globalization;
using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Tracing.Timeline;

/// <summary>
/// Draws a <see cref="TimelineLayout"/> as one self-contained SVG: no script, no style sheet, no external
/// resources, a white background of its own (so dark notebook themes do not swallow the text), and hover text
/// in <c>&lt;title&gt;</c> children. Whatever the trace's size, the drawing stays small: stretches too narrow to
/// see are merged into strips whose hover text gives the counts, and ticks and arrows are capped per pixel
/// column; a note under the lanes says what was merged or left out.
/// </summary>
internal sealed class TimelineDrawing
{
    /// <summary>Lanes drawn at most; the rest are named in a note.</summary>
    public const int MaxLanes = 48;

    private const int Width = 960;
    private const double PlotLeft = 200;
    private const double PlotRight = 870;
    private const double PlotWidth = PlotRight - PlotLeft;
    private const double LanesTop = 66;

    // Budgets for elements that carry hover text (about 150 bytes each), shared by all lanes.
    private const int SegmentBudget = 1000;
    private const int TickBudget = 600;
    private const int MarkBudget = 300;
    private const int SpanBudget = 450;
    private const int ArrowBudget = 120;
    private const int DeadlockBudget = 12;

    private const string RunningColour = TimelineColours.Running;
    private const string WaitingColour = TimelineColours.Waiting;
    private const string BlockedColour = TimelineColours.Blocked;
    private const string ArrowColour = TimelineColours.Arrow;
    private const string MarkColour = TimelineColours.Mark;
    private const string DeadlockColour = TimelineColours.Deadlock;

    private static int s_drawings;

    private readonly TimelineLayout _layout;
    private readonly IReadOnlyList<int> _shown;
    private readonly string _hatchId;
    private readonly StringBuilder _body = new();
    private readonly List<string> _notes = [];
    private readonly Dictionary<int, int> _rowOfLane = [];
    private readonly Dictionary<int, List<(double From, double To)>> _mergedByLane = [];
    private readonly double _laneHeight;
    private readonly double _pad;
    private readonly double _spanHeight;
    private readonly double _tickHeight;
    private readonly double _barHeight;
    private readonly double _fontSize;
    private int _mergedRuns;
    private int _mergedSegments;
    private double _mergeWidth;
    private int _eventsInMergedTicks;
    private int _hiddenTimeouts;

    private TimelineDrawing(TimelineLayout layout)
    {
        _layout = layout;
        _shown = layout.LanesWorthShowing(MaxLanes);
        for (var row = 0; row < _shown.Count; row++)
        {
            _rowOfLane[_shown[row]] = row;
        }

        // Ids must be unique on a page that shows several timelines (a notebook), or one SVG's pattern would
        // resolve to another's, which may be hidden.
        _hatchId = $"tb{(uint)HashCode.Combine(Environment.ProcessId, Interlocked.Increment(ref s_drawings)):x}-hatch";

        // Fewer, taller lanes for small traces; many lanes shrink so a hundred threads still fit on a screen.
        (_laneHeight, _pad, _spanHeight, _tickHeight, _fontSize) = _shown.Count switch
        {
            <= 10 => (34.0, 2.0, 10.0, 4.0, 11.0),
            <= 20 => (26.0, 1.0, 7.0, 3.0, 10.0),
            <= 32 => (20.0, 1.0, 4.0, 2.0, 10.0),
            _ => (15.0, 1.0, 3.0, 0.0, 9.0),
        };
        var annotated = _shown.Any(i => layout.Lanes[i].Spans.Count > 0 || layout.Lanes[i].Marks.Count > 0);
        if (!annotated)
        {
            _laneHeight -= _spanHeight + 1;
            _spanHeight = 0;
        }

        _barHeight = _laneHeight - (2 * _pad) - _spanHeight - (_spanHeight > 0 ? 1 : 0) - _tickHeight;
    }

    private long Duration => Math.Max(1, _layout.End - _layout.Start);

    private double LanesBottom => LanesTop + (_shown.Count * _laneHeight);

    private int DeadlockRows => Math.Min(DeadlockBudget, _layout.Deadlocks.Count(d => _rowOfLane.ContainsKey(d.Lane)));

    /// <summary>The SVG for <paramref name="layout"/>.</summary>
    public static string Draw(TimelineLayout layout) =>
        layout.Trace.Events.Count == 0 ? DrawEmpty(layout.Trace) : new TimelineDrawing(layout).Draw();

    private static string DrawEmpty(Trace trace) =>
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"480\" height=\"44\" viewBox=\"0 0 480 44\" " +
        "font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" font-size=\"12\" role=\"img\">" +
        "<rect width=\"480\" height=\"44\" fill=\"#fff\"/>" +
        $"<text x=\"8\" y=\"18\" font-weight=\"600\">{SafeText.Xml(SafeText.Truncate(SafeText.Clean(trace.Title), 60))}</text>" +
        "<text x=\"8\" y=\"35\" fill=\"#555\">nothing was recorded</text></svg>";

    private string Draw()
    {
        DrawGrid();
        foreach (var lane in _shown)
        {
            DrawLane(_layout.Lanes[lane]);
        }

        DrawArrows();
        DrawDeadlocks();
        CollectNotes();

        var notesTop = LanesBottom + (DeadlockRows * 14) + 10;
        var height = notesTop + (_notes.Count * 14) + 4;
        var svg = new StringBuilder(_body.Length + 4096);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{F(height)}\" viewBox=\"0 0 {Width} {F(height)}\" ");
        svg.Append("style=\"max-width:100%;height:auto\" font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" font-size=\"11\" role=\"img\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{SafeText.Xml(Headline())}</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<defs><pattern id=\"{_hatchId}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">" +
            $"<rect width=\"5\" height=\"5\" fill=\"{BlockedColour}\"/><rect width=\"2\" height=\"5\" fill=\"{TimelineColours.BlockedStripe}\"/></pattern></defs>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"{Width}\" height=\"{F(height)}\" fill=\"#fff\"/>");
        DrawHeader(svg);
        svg.Append(_body);
        var y = notesTop;
        foreach (var note in _notes)
        {
            y += 14;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"6\" y=\"{F(y - 4)}\" font-size=\"10\" fill=\"#444\">{SafeText.Xml(note)}</text>");
        }

        return svg.Append("</svg>").ToString();
    }

    private string Headline() => SafeText.Clean(_layout.Trace.Title) + Facts();

    private string Facts()
    {
        var trace = _layout.Trace;
        var threads = $" · {TimeText.Duration(_layout.End - _layout.Start)} · {TimeText.Count(trace.Threads.Count)} thread{(trace.Threads.Count == 1 ? "" : "s")}";
        return _layout.Vocabulary.Sampled
            ? threads + (_layout.Vocabulary.Headline is { } headline ? $" · {SafeText.Clean(headline)}" : "")
            : threads + $" · {TimeText.Count(trace.Events.Count)} events";
    }

    private void DrawHeader(StringBuilder svg)
    {
        var title = SafeText.Truncate(SafeText.Clean(_layout.Trace.Title), 70);
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"6\" y=\"17\" font-size=\"13\" font-weight=\"600\">{SafeText.Xml(title)}<tspan fill=\"#555\" font-weight=\"400\" font-size=\"11\">" +
            $"{SafeText.Xml(Facts())}</tspan></text>");

        // Beyond the three states and the arrow, the legend lists only what this timeline contains, so it stays one line.
        var lanes = _shown.Select(i => _layout.Lanes[i]).ToArray();
        var x = 6.0;
        const double y = 30;
        var words = _layout.Vocabulary;
        Item(at => $"<rect x=\"{at}\" y=\"{F(y)}\" width=\"12\" height=\"9\" fill=\"{RunningColour}\"/>", words.Running);
        Item(at => $"<rect x=\"{at}\" y=\"{F(y)}\" width=\"12\" height=\"9\" fill=\"{WaitingColour}\"/>", words.Waiting);
        Item(at => $"<rect x=\"{at}\" y=\"{F(y)}\" width=\"12\" height=\"9\" fill=\"url(#{_hatchId}) {BlockedColour}\"/>", words.Blocked);
        if (!words.Sampled)
        {
            Item(at => $"<path d=\"M{at},{F(y + 4.5)}h11m-4,-3l4,3 -4,3\" fill=\"none\" stroke=\"{ArrowColour}\" stroke-width=\"1.3\"/>", "woke (waker → woken)");
        }
        if (lanes.Any(l => l.Spans.Count > 0))
        {
            Item(at => $"<rect x=\"{at}\" y=\"{F(y + 1)}\" width=\"12\" height=\"7\" fill=\"#cfe6f7\" stroke=\"{ArrowColour}\" stroke-width=\".6\"/>", "span");
        }

        if (lanes.Any(l => l.Marks.Count > 0))
        {
            Item(at => $"<path d=\"M{at},{F(y + 4.5)}m2,0l4,-4 4,4 -4,4z\" fill=\"{MarkColour}\"/>", "mark");
        }

        if (lanes.Any(l => l.Waits.Any(w => w.Outcome is WaitOutcome.TimedOut or WaitOutcome.Broken)))
        {
            var broken = lanes.Any(l => l.Waits.Any(w => w.Outcome == WaitOutcome.Broken));
            Item(at => $"<path d=\"M{at},{F(y + 1)}m2,0l7,7m0,-7l-7,7\" stroke=\"#000\" stroke-width=\"1.6\"/>", broken ? "timed out / barrier broken" : "timed out");
        }

        if (_layout.Deadlocks.Count > 0 || lanes.Any(l => l.Waits.Any(w => w.Outcome == WaitOutcome.Deadlocked)))
        {
            Item(at => $"<path d=\"M{at},{F(y + 4.5)}m1,0l5,-5 5,5 -5,5z\" fill=\"{DeadlockColour}\" stroke=\"#000\"/>", "deadlock");
        }

        if (_mergedRuns > 0)
        {
            Item(at => $"<path d=\"M{at},{F(y + 10)}h12\" stroke=\"#222\" stroke-dasharray=\"1 1.5\"/>", "merged: hover for counts");
        }

        if (lanes.Any(l => l.StillRunningAtEnd))
        {
            Item(at => $"<path d=\"M{at},{F(y)}m3,0l7,4.5 -7,4.5z\" fill=\"#555\"/>", "still alive at the end");
        }

        void Item(Func<string, string> symbolAt, string text)
        {
            svg.Append(symbolAt(F(x)));
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + 16)}\" y=\"{F(y + 8.5)}\" fill=\"#333\">{SafeText.Xml(text)}</text>");
            x += 16 + TextWidth(text, 11) + 12;
        }
    }

    private void DrawGrid()
    {
        // Alternate lane backgrounds, so a lane can be followed across the page.
        var stripes = new StringBuilder();
        for (var row = 1; row < _shown.Count; row += 2)
        {
            stripes.Append(CultureInfo.InvariantCulture, $"M0,{F(LanesTop + (row * _laneHeight))}h{Width}v{F(_laneHeight)}h-{Width}z");
        }

        if (stripes.Length > 0)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<path d=\"{stripes}\" fill=\"#f3f3f3\"/>");
        }

        var durationMs = TimeText.Milliseconds(Duration);
        var rough = durationMs / 6;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var step = (rough / magnitude) switch { < 1.5 => 1, < 3.5 => 2, < 7.5 => 5, _ => 10 } * magnitude;
        var decimals = Math.Max(0, (int)-Math.Floor(Math.Log10(step)));
        var grid = new StringBuilder();
        for (var i = 0; i * step <= durationMs * 1.000001; i++)
        {
            var x = PlotLeft + (i * step / durationMs * PlotWidth);
            grid.Append(CultureInfo.InvariantCulture, $"M{F(x)},{F(LanesTop - 4)}V{F(LanesBottom)}");
            var label = (i * step).ToString("F" + decimals, CultureInfo.InvariantCulture) + " ms";
            _body.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{F(x)}\" y=\"{F(LanesTop - 7)}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555\">{label}</text>");
        }

        _body.Append(CultureInfo.InvariantCulture, $"<path d=\"{grid}\" stroke=\"#dcdcdc\" stroke-width=\".8\"/>");
        _body.Append(CultureInfo.InvariantCulture,
            $"<path d=\"M{F(PlotLeft)},{F(LanesTop)}V{F(LanesBottom)}M{F(PlotRight)},{F(LanesTop)}V{F(LanesBottom)}\" stroke=\"#999\" stroke-width=\".8\"/>");
    }

    private void DrawLane(LaneTimeline lane)
    {
        var row = _rowOfLane[lane.Index];
        var top = LanesTop + (row * _laneHeight);
        var barTop = top + _pad + _spanHeight + (_spanHeight > 0 ? 1 : 0);
        var barMiddle = barTop + (_barHeight / 2);
        _body.Append("<g>");
        DrawLaneLabel(lane, top);
        DrawLifetime(lane, barTop, barMiddle);
        DrawSegments(lane, barTop);
        DrawSpans(lane, top + _pad);
        DrawTicks(lane, barTop + _barHeight);
        DrawWaitEnds(lane, barMiddle);
        DrawMarks(lane, barTop, top + _pad + _spanHeight - 1);
        _body.Append("</g>");
    }

    private void DrawLaneLabel(LaneTimeline lane, double top)
    {
        var name = SafeText.Clean(lane.Thread.Name);
        var suffix = lane.Label[name.Length..];
        var shown = Fit(name, PlotLeft - 12 - TextWidth(suffix, _fontSize), _fontSize) + suffix;
        var life = (lane.Started ? $"started at {_layout.At(lane.Start)}" : "running when the trace began") + ", " +
                   (lane.StillRunningAtEnd ? "still alive when the trace ended" : $"stopped at {_layout.At(lane.End)}") +
                   (_layout.Vocabulary.Sampled ? "" : $"; {TimeText.Count(lane.EventCount)} events");
        _body.Append(CultureInfo.InvariantCulture,
            $"<text class=\"tb-lane-label\" x=\"6\" y=\"{F(top + (_laneHeight / 2) + (_fontSize * 0.35))}\" font-size=\"{F(_fontSize)}\">" +
            $"<title>{SafeText.Xml($"{lane.Label}: {life}")}</title>{SafeText.Xml(shown)}</text>");
    }

    private void DrawLifetime(LaneTimeline lane, double barTop, double barMiddle)
    {
        // Before a thread starts and after it stops, its lane is a faint dashed line: the thread does not exist.
        var absent = new StringBuilder();
        if (lane.Start > _layout.Start)
        {
            absent.Append(CultureInfo.InvariantCulture, $"M{F(PlotLeft)},{F(barMiddle)}H{F(X(lane.Start))}");
        }

        if (!lane.StillRunningAtEnd && lane.End < _layout.End)
        {
            absent.Append(CultureInfo.InvariantCulture, $"M{F(X(lane.End))},{F(barMiddle)}H{F(PlotRight)}");
        }

        if (absent.Length > 0)
        {
            _body.Append(CultureInfo.InvariantCulture, $"<path d=\"{absent}\" stroke=\"#aaa\" stroke-dasharray=\"2 3\"/>");
        }

        var capTop = F(barTop - 1);
        var capHeight = F(_barHeight + 2);
        if (lane.Started)
        {
            _body.Append(CultureInfo.InvariantCulture,
                $"<path d=\"M{F(X(lane.Start))},{capTop}v{capHeight}\" stroke=\"#222\" stroke-width=\"1.5\"><title>{SafeText.Xml($"{lane.Label} started at {_layout.At(lane.Start)}")}</title></path>");
        }

        if (!lane.StillRunningAtEnd)
        {
            _body.Append(CultureInfo.InvariantCulture,
                $"<path d=\"M{F(X(lane.End))},{capTop}v{capHeight}\" stroke=\"#222\" stroke-width=\"1.5\"><title>{SafeText.Xml($"{lane.Label} stopped at {_layout.At(lane.End)}")}</title></path>");
            return;
        }

        var last = lane.Segments.Count > 0 ? lane.Segments[^1].State : LaneState.Running;
        var stuck = lane.UnfinishedWait;
        var state = last switch { LaneState.Blocked => "still blocked", LaneState.Waiting => "still waiting", _ => "still running" };
        var hover = $"{lane.Label} had not stopped when the trace ended" + (stuck is null ? "" : $": {_layout.Describe(stuck)}");
        // With many lanes the words would repeat down the margin; the triangle and the legend say it then.
        var words = _shown.Count <= 20 ? $"<text x=\"{F(PlotRight + 12)}\" y=\"{F(barMiddle + 3)}\" font-size=\"9.5\" fill=\"#333\">{state}</text>" : "";
        _body.Append(CultureInfo.InvariantCulture,
            $"<g class=\"tb-still-running\"><title>{SafeText.Xml(hover)}</title>" +
            $"<path d=\"M{F(PlotRight + 2)},{F(barMiddle - 4.5)}l7,4.5 -7,4.5z\" fill=\"{Fill(last)}\"/>{words}</g>");
    }

    private void DrawSegments(LaneTimeline lane, double barTop)
    {
        var segments = lane.Segments;
        var budget = Math.Max(30, SegmentBudget / _shown.Count);
        var groups = GroupNarrow(segments.Count, i => X(segments[i].Begin), i => X(segments[i].End), budget, out var minWidth);
        foreach (var (from, to) in groups)
        {
            if (to - from == 1)
            {
                DrawSegment(lane, segments[from], barTop);
            }
            else
            {
                DrawMergedSegments(lane, from, to, barTop, minWidth);
            }
        }
    }

    private void DrawSegment(LaneTimeline lane, StateSegment segment, double barTop)
    {
        var x = X(segment.Begin);
        var width = Math.Max(0.6, X(segment.End) - x);
        var (cssClass, hover) = segment.Wait is { } wait && !_layout.Vocabulary.Sampled
            ? (segment.State == LaneState.Blocked ? "tb-blocked" : "tb-waiting", $"{lane.Label}: {_layout.Describe(wait)}")
            : (segment.State switch { LaneState.Blocked => "tb-blocked", LaneState.Waiting => "tb-waiting", _ => "tb-running" },
                $"{lane.Label}: {_layout.Vocabulary.WordFor(segment.State)} for {TimeText.Duration(segment.Length)} ({_layout.At(segment.Begin)} to {_layout.At(segment.End)})");
        var stroke = segment.Wait?.Outcome switch
        {
            WaitOutcome.TimedOut or WaitOutcome.Broken => " stroke=\"#000\" stroke-dasharray=\"2 1.5\"",
            WaitOutcome.Deadlocked => $" stroke=\"{DeadlockColour}\" stroke-width=\"2\"",
            _ => "",
        };
        _body.Append(CultureInfo.InvariantCulture,
            $"<rect class=\"{cssClass}\" x=\"{F(x)}\" y=\"{F(barTop)}\" width=\"{F(width)}\" height=\"{F(_barHeight)}\" fill=\"{Fill(segment.State)}\"{stroke}>" +
            $"<title>{SafeText.Xml(hover)}</title></rect>");
    }

    /// <summary>
    /// Draws segments too narrow to see one by one as a strip of small bins, each coloured by the state that
    /// filled most of it, under one hover text with the counts; a dotted underline marks the strip as merged.
    /// </summary>
    private void DrawMergedSegments(LaneTimeline lane, int from, int to, double barTop, double minWidth)
    {
        var segments = lane.Segments;
        var left = X(segments[from].Begin);
        var right = X(segments[to - 1].End);
        var binWidth = _shown.Count <= 16 ? 2.0 : 3.0;
        var firstBin = (int)Math.Floor((left - PlotLeft) / binWidth);
        var binCount = Math.Max(1, (int)Math.Ceiling((right - PlotLeft) / binWidth) - firstBin);
        var weights = new double[binCount, 3];
        var timeIn = new long[3];
        for (var i = from; i < to; i++)
        {
            var segment = segments[i];
            timeIn[(int)segment.State] += segment.Length;
            double start = X(segment.Begin), stop = X(segment.End);
            for (var bin = Math.Max(0, (int)Math.Floor((start - PlotLeft) / binWidth) - firstBin); bin < binCount; bin++)
            {
                var binLeft = PlotLeft + ((firstBin + bin) * binWidth);
                if (binLeft >= stop)
                {
                    break;
                }

                weights[bin, (int)segment.State] += Math.Min(stop, binLeft + binWidth) - Math.Max(start, binLeft);
            }
        }

        var paths = new[] { new StringBuilder(), new StringBuilder(), new StringBuilder() };
        var runStart = 0;
        for (var bin = 1; bin <= binCount; bin++)
        {
            if (bin < binCount && Dominant(bin) == Dominant(runStart))
            {
                continue;
            }

            var x0 = Math.Max(left, PlotLeft + ((firstBin + runStart) * binWidth));
            var x1 = Math.Min(right, PlotLeft + ((firstBin + bin) * binWidth));
            if (x1 > x0)
            {
                paths[Dominant(runStart)].Append(CultureInfo.InvariantCulture, $"M{F(x0)},{F(barTop)}h{F(x1 - x0)}v{F(_barHeight)}h{F(x0 - x1)}z");
            }

            runStart = bin;
        }

        long begin = segments[from].Begin, end = segments[to - 1].End, total = Math.Max(1, end - begin);
        var waits = lane.Waits.Where(w => w.Begin >= begin && w.Begin < end).ToArray();
        var events = lane.Instants.Count(e => e.Timestamp >= begin && e.Timestamp <= end);
        var words = _layout.Vocabulary;
        var hover = $"{lane.Label}: {to - from} stretches, each narrower than {minWidth:0.#} px, merged; {_layout.At(begin)} to {_layout.At(end)}: " +
                    (words.Sampled
                        ? $"{words.Running} {Percent(LaneState.Running)}, {words.Waiting} {Percent(LaneState.Waiting)}, {words.Blocked} {Percent(LaneState.Blocked)}"
                        : $"running {Percent(LaneState.Running)}, waiting {Percent(LaneState.Waiting)}, blocked {Percent(LaneState.Blocked)}; " +
                          $"{TimeText.Count(waits.Length)} waits ({TimeText.Count(waits.Count(w => w.Outcome == WaitOutcome.TimedOut))} timed out); " +
                          $"{TimeText.Count(events)} acquire/release/set/notify events");
        _body.Append(CultureInfo.InvariantCulture, $"<g class=\"tb-merged\"><title>{SafeText.Xml(hover)}</title>");
        for (var state = 0; state < 3; state++)
        {
            if (paths[state].Length > 0)
            {
                _body.Append(CultureInfo.InvariantCulture, $"<path d=\"{paths[state]}\" fill=\"{Fill((LaneState)state)}\"/>");
            }
        }

        _body.Append(CultureInfo.InvariantCulture,
            $"<path d=\"M{F(left)},{F(barTop + _barHeight + 1)}H{F(right)}\" stroke=\"#222\" stroke-dasharray=\"1 1.5\"/></g>");
        _mergedByLane.TryAdd(lane.Index, []);
        _mergedByLane[lane.Index].Add((left, right));
        _mergedRuns++;
        _mergedSegments += to - from;
        _mergeWidth = Math.Max(_mergeWidth, minWidth);

        int Dominant(int bin)
        {
            var best = 0;
            for (var state = 1; state < 3; state++)
            {
                best = weights[bin, state] > weights[bin, best] ? state : best;
            }

            return best;
        }

        string Percent(LaneState state) => $"{timeIn[(int)state] * 100.0 / total:0}%";
    }

    private void DrawSpans(LaneTimeline lane, double rowTop)
    {
        if (_spanHeight <= 0 || lane.Spans.Count == 0)
        {
            return;
        }

        // A span's label must stop where its first child starts, or the two labels would overwrite each other.
        var firstChildBegin = new Dictionary<UserSpan, long>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i + 1 < lane.Spans.Count; i++)
        {
            var next = lane.Spans[i + 1];
            if (next.Depth > lane.Spans[i].Depth && next.Begin < lane.Spans[i].End)
            {
                firstChildBegin[lane.Spans[i]] = next.Begin;
            }
        }

        var budget = Math.Max(15, SpanBudget / _shown.Count / 3);
        string[] fills = ["#cfe6f7", "#9fcdee", "#6fb3e4"];
        foreach (var depthSpans in lane.Spans.GroupBy(s => Math.Min(s.Depth, 2)).OrderBy(g => g.Key))
        {
            var depth = depthSpans.Key;
            var spans = depthSpans.ToArray();
            var y = rowTop + (depth * 1.5);
            var height = Math.Max(1.5, _spanHeight - (depth * 3));
            foreach (var (from, to) in GroupNarrow(spans.Length, i => X(spans[i].Begin), i => X(spans[i].End), budget, out _))
            {
                var x = X(spans[from].Begin);
                var width = Math.Max(0.8, X(spans[to - 1].End) - x);
                if (to - from > 1)
                {
                    var names = spans[from..to].GroupBy(s => s.Label).OrderByDescending(g => g.Count()).Take(3)
                        .Select(g => $"'{g.Key}' ×{g.Count()}");
                    var merged = $"{lane.Label}: {to - from} spans too short to draw, {_layout.At(spans[from].Begin)} to {_layout.At(spans[to - 1].End)}: {string.Join(", ", names)}";
                    _body.Append(CultureInfo.InvariantCulture,
                        $"<rect class=\"tb-span\" x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(width)}\" height=\"{F(height)}\" fill=\"{fills[depth]}\" stroke=\"{ArrowColour}\" stroke-width=\".6\" stroke-dasharray=\"1 1\">" +
                        $"<title>{SafeText.Xml(merged)}</title></rect>");
                    continue;
                }

                var span = spans[from];
                var hover = $"{lane.Label}: span '{span.Label}' {TimeText.Duration(span.Length)} ({_layout.At(span.Begin)} to {_layout.At(span.End)})" +
                            (span.Ended ? "" : "; still open when the trace ended");
                _body.Append(CultureInfo.InvariantCulture,
                    $"<g class=\"tb-span\"><title>{SafeText.Xml(hover)}</title><rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(width)}\" height=\"{F(height)}\" fill=\"{fills[depth]}\" stroke=\"{ArrowColour}\" stroke-width=\".6\"/>");
                var font = _spanHeight - 2;
                var room = (firstChildBegin.TryGetValue(span, out var child) ? X(child) : x + width) - x - 4;
                var label = Fit(span.Label, room, font);
                if (_spanHeight >= 7 && depth == 0 && label.Length >= 3)
                {
                    _body.Append(CultureInfo.InvariantCulture,
                        $"<text x=\"{F(x + 2)}\" y=\"{F(y + height - 2)}\" font-size=\"{F(font)}\" fill=\"#00395c\">{SafeText.Xml(label)}</text>");
                }

                _body.Append("</g>");
            }
        }
    }

    private void DrawTicks(LaneTimeline lane, double barBottom)
    {
        var merged = _mergedByLane.GetValueOrDefault(lane.Index) ?? [];
        var visible = lane.Instants.Where(e => !Inside(merged, X(e.Timestamp))).ToArray();
        _eventsInMergedTicks += lane.Instants.Count - visible.Length;
        var column = Math.Max(3, PlotWidth / Math.Max(20, TickBudget / _shown.Count));
        var y = _tickHeight > 0 ? barBottom : barBottom - 3;
        var length = _tickHeight > 0 ? _tickHeight : 3;
        foreach (var bucket in Buckets(visible, e => X(e.Timestamp), column))
        {
            var first = bucket[0];
            var colour = bucket.All(e => e.Kind is TraceEventKind.EventSet or TraceEventKind.EventCleared or TraceEventKind.Notified or TraceEventKind.BarrierPassed or TraceEventKind.BarrierBroken) ? ArrowColour : "#333";
            var hover = bucket.Count == 1
                ? $"{lane.Label} {_layout.Describe(first)}"
                : $"{lane.Label}, {bucket.Count} events: " + string.Join("; ", bucket.Take(3).Select(_layout.Describe)) + (bucket.Count > 3 ? $"; and {bucket.Count - 3} more" : "");
            _body.Append(CultureInfo.InvariantCulture,
                $"<path class=\"tb-tick\" d=\"M{F(X(first.Timestamp))},{F(y)}v{F(length)}\" stroke=\"{colour}\" stroke-width=\"1.4\"><title>{SafeText.Xml(hover)}</title></path>");
        }
    }

    private void DrawWaitEnds(LaneTimeline lane, double barMiddle)
    {
        // Timeouts, deadlocked waits and waits a broken barrier ended get a cross at their end, merged or not: they are
        // what the learner looks for.
        var ended = lane.Waits.Where(w => w.Outcome is WaitOutcome.TimedOut or WaitOutcome.Deadlocked or WaitOutcome.Broken).OrderBy(w => w.End).ToArray();
        var column = Math.Max(4, PlotWidth / Math.Max(10, MarkBudget / _shown.Count));
        var buckets = Buckets(ended, w => X(w.End), column);
        foreach (var bucket in buckets)
        {
            var wait = bucket[0];
            var colour = bucket.Any(w => w.Outcome == WaitOutcome.Deadlocked) ? DeadlockColour : "#000";
            var hover = $"{lane.Label}: {_layout.Describe(wait)}" + (bucket.Count > 1 ? $"; and {bucket.Count - 1} more waits ended here" : "");
            var x = X(wait.End);
            var size = Math.Min(3.5, (_barHeight / 2) - 0.5);
            var cross = $"M{F(x - size)},{F(barMiddle - size)}l{F(2 * size)},{F(2 * size)}m0,{F(-2 * size)}l{F(-2 * size)},{F(2 * size)}";
            // A white halo under the cross keeps it visible on every fill.
            _body.Append(CultureInfo.InvariantCulture,
                $"<g class=\"tb-timeout\"><title>{SafeText.Xml(hover)}</title><path d=\"{cross}\" stroke=\"#fff\" stroke-width=\"3.2\"/>" +
                $"<path d=\"{cross}\" stroke=\"{colour}\" stroke-width=\"1.6\"/></g>");
        }

        _hiddenTimeouts += ended.Length - buckets.Count;
    }

    private void DrawMarks(LaneTimeline lane, double barTop, double labelBaseline)
    {
        var column = Math.Max(3, PlotWidth / Math.Max(10, MarkBudget / _shown.Count));
        var labelEnd = double.NegativeInfinity;
        var font = Math.Min(9, _spanHeight);
        foreach (var bucket in Buckets(lane.Marks, e => X(e.Timestamp), column))
        {
            var mark = bucket[0];
            var x = X(mark.Timestamp);
            var hover = bucket.Count == 1
                ? $"{lane.Label}: {_layout.Describe(mark)}"
                : $"{lane.Label}, {bucket.Count} marks: " + string.Join("; ", bucket.Take(3).Select(_layout.Describe)) + (bucket.Count > 3 ? $"; and {bucket.Count - 3} more" : "");
            _body.Append(CultureInfo.InvariantCulture,
                $"<path class=\"tb-mark\" d=\"M{F(x)},{F(barTop - 4)}l4,4 -4,4 -4,-4z\" fill=\"{MarkColour}\" stroke=\"#fff\" stroke-width=\".6\"><title>{SafeText.Xml(hover)}</title></path>");
            var label = SafeText.Clean(mark.Label) + (bucket.Count > 1 ? $" +{bucket.Count - 1}" : "");
            var shown = Fit(label, Math.Min(130, PlotRight + 60 - x), font);
            if (_spanHeight >= 7 && x > labelEnd + 4 && shown.Length >= 3)
            {
                _body.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{F(x + 5)}\" y=\"{F(labelBaseline)}\" font-size=\"{F(font)}\" fill=\"#6b2a57\" stroke=\"#fff\" stroke-width=\"2.5\" paint-order=\"stroke\">{SafeText.Xml(shown)}</text>");
                labelEnd = x + 5 + TextWidth(shown, font);
            }
        }
    }

    private void DrawArrows()
    {
        var wakes = _layout.Wakes.Where(w => w.FromLane != w.ToLane && _rowOfLane.ContainsKey(w.FromLane) && _rowOfLane.ContainsKey(w.ToLane)).ToArray();
        var column = 3.0;
        List<WakeArrow> kept;
        while (true)
        {
            // One arrow per woken lane per pixel column: more would be one blue smear anyway.
            kept = wakes.DistinctBy(w => (w.ToLane, (int)((X(w.ToTimestamp) - PlotLeft) / column))).ToList();
            if (kept.Count <= ArrowBudget || column > PlotWidth)
            {
                break;
            }

            column *= 2;
        }

        // When arrows had to be thinned out, the survivors are a sample: draw them lighter so lanes stay readable.
        var strokeStyle = kept.Count < wakes.Length ? "stroke-width=\"1\" stroke-opacity=\".55\"" : "stroke-width=\"1.3\"";
        foreach (var wake in kept)
        {
            var fromRow = _rowOfLane[wake.FromLane];
            var toRow = _rowOfLane[wake.ToLane];
            var x1 = X(wake.FromTimestamp);
            var x2 = X(wake.ToTimestamp);
            var y1 = BarTop(fromRow) + (_barHeight / 2);
            var y2 = toRow > fromRow ? BarTop(toRow) - 0.5 : BarTop(toRow) + _barHeight + 0.5;
            var length = Math.Max(0.001, Math.Sqrt(((x2 - x1) * (x2 - x1)) + ((y2 - y1) * (y2 - y1))));
            double ux = (x2 - x1) / length, uy = (y2 - y1) / length;
            const double head = 5, spread = 0.45;
            double cos = Math.Cos(spread), sin = Math.Sin(spread);
            var (ax, ay) = (x2 - (head * ((ux * cos) - (uy * sin))), y2 - (head * ((uy * cos) + (ux * sin))));
            var (bx, by) = (x2 - (head * ((ux * cos) + (uy * sin))), y2 - (head * ((uy * cos) - (ux * sin))));
            _body.Append(CultureInfo.InvariantCulture,
                $"<path class=\"tb-woke\" data-from-lane=\"{wake.FromLane}\" data-to-lane=\"{wake.ToLane}\" " +
                $"d=\"M{F(x1)},{F(y1)}L{F(x2)},{F(y2)}M{F(ax)},{F(ay)}L{F(x2)},{F(y2)}L{F(bx)},{F(by)}\" fill=\"none\" stroke=\"{ArrowColour}\" {strokeStyle}>" +
                $"<title>{SafeText.Xml(_layout.Describe(wake))}</title></path>");
        }

        if (kept.Count < wakes.Length)
        {
            _notes.Add($"Wake arrows: {TimeText.Count(kept.Count)} of {TimeText.Count(wakes.Length)} drawn (at most one per woken lane per {column:0.#} px); the summary counts them all.");
        }
    }

    private void DrawDeadlocks()
    {
        // The marker sits on the reporting lane; the label goes on a row of its own under the lanes, joined to
        // the marker by a dashed line, so it never hides what the threads were doing.
        var deadlocks = _layout.Deadlocks.Where(d => _rowOfLane.ContainsKey(d.Lane)).Take(DeadlockBudget).ToArray();
        for (var i = 0; i < deadlocks.Length; i++)
        {
            var deadlock = deadlocks[i];
            var x = X(deadlock.Timestamp);
            var y = BarTop(_rowOfLane[deadlock.Lane]) + (_barHeight / 2);
            var baseline = LanesBottom + 12 + (i * 14);
            var label = "DEADLOCK at " + _layout.At(deadlock.Timestamp) + ": " + SafeText.Truncate(deadlock.Label, 90);
            var anchorEnd = x + 4 + TextWidth(label, 10.5) > Width - 4;
            var hover = $"{_layout.Lanes[deadlock.Lane].Label}: DEADLOCK at {_layout.At(deadlock.Timestamp)}: {SafeText.Truncate(deadlock.Label, 1000)}";
            _body.Append(CultureInfo.InvariantCulture,
                $"<g class=\"tb-deadlock\"><title>{SafeText.Xml(hover)}</title>" +
                $"<path d=\"M{F(x)},{F(LanesTop)}V{F(baseline - 9)}\" stroke=\"{DeadlockColour}\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>" +
                $"<path d=\"M{F(x)},{F(y - 7)}l7,7 -7,7 -7,-7z\" fill=\"{DeadlockColour}\" stroke=\"#000\"/>" +
                $"<text x=\"{F(anchorEnd ? x - 4 : x + 4)}\" y=\"{F(baseline)}\"{(anchorEnd ? " text-anchor=\"end\"" : "")} font-size=\"10.5\" font-weight=\"700\" fill=\"{DeadlockColour}\">{SafeText.Xml(label)}</text></g>");
        }

        if (_layout.Deadlocks.Count > deadlocks.Length)
        {
            _notes.Add($"{_layout.Deadlocks.Count - deadlocks.Length} more deadlock reports not drawn; the summary lists them.");
        }
    }

    private void CollectNotes()
    {
        if (_mergedRuns > 0)
        {
            _notes.Insert(0,
                $"Merged to stay readable: {TimeText.Count(_mergedSegments)} stretches narrower than {_mergeWidth:0.#} px are drawn as {TimeText.Count(_mergedRuns)} " +
                "dotted-underlined strips, coloured by what filled each pixel most; hover a strip for its counts.");
        }

        if (_eventsInMergedTicks > 0)
        {
            _notes.Add($"{TimeText.Count(_eventsInMergedTicks)} acquire/release/set/notify events inside merged strips are counted in their hover text, not ticked.");
        }

        if (_hiddenTimeouts > 0)
        {
            _notes.Add($"{TimeText.Count(_hiddenTimeouts)} timeouts share a cross with a neighbour (see the hover text).");
        }

        _notes.AddRange(_layout.Vocabulary.Notes.Select(SafeText.Clean));
        var hidden = _layout.Lanes.Count - _shown.Count;
        if (hidden > 0)
        {
            _notes.Add($"… {TimeText.Count(hidden)} more threads not drawn (the {TimeText.Count(_shown.Count)} with the most events are shown); the summary lists every thread.");
        }

        if (_layout.Trace.DroppedEvents > 0)
        {
            _notes.Add($"{TimeText.Count(_layout.Trace.DroppedEvents)} events were not recorded (a thread's buffer was full): the picture is incomplete.");
        }
    }

    private double BarTop(int row) => LanesTop + (row * _laneHeight) + _pad + _spanHeight + (_spanHeight > 0 ? 1 : 0);

    private double X(long timestamp) =>
        PlotLeft + (Math.Clamp(timestamp - _layout.Start, 0, Duration) * PlotWidth / Duration);

    private string Fill(LaneState state) => state switch
    {
        LaneState.Blocked => $"url(#{_hatchId}) {BlockedColour}",
        LaneState.Waiting => WaitingColour,
        _ => RunningColour,
    };

    /// <summary>
    /// Groups consecutive items narrower than a minimum width (and no further apart than it) so they can be drawn
    /// as one; a group of one is drawn alone. The minimum starts at 1.5 px and doubles until the groups fit
    /// <paramref name="budget"/>.
    /// </summary>
    private static List<(int From, int To)> GroupNarrow(int count, Func<int, double> left, Func<int, double> right, int budget, out double minWidth)
    {
        minWidth = 1.5;
        while (true)
        {
            var groups = new List<(int, int)>();
            var i = 0;
            while (i < count)
            {
                var j = i + 1;
                if (right(i) - left(i) < minWidth)
                {
                    while (j < count && right(j) - left(j) < minWidth && left(j) - right(j - 1) < minWidth)
                    {
                        j++;
                    }
                }

                groups.Add((i, j));
                i = j;
            }

            if (groups.Count <= budget || minWidth >= PlotWidth)
            {
                return groups;
            }

            minWidth *= 2;
        }
    }

    /// <summary>Items (in x order) collected per pixel column of <paramref name="column"/> px.</summary>
    private static List<List<T>> Buckets<T>(IReadOnlyList<T> items, Func<T, double> x, double column)
    {
        var buckets = new List<List<T>>();
        var current = int.MinValue;
        foreach (var item in items)
        {
            var index = (int)((x(item) - PlotLeft) / column);
            if (index != current)
            {
                buckets.Add([]);
                current = index;
            }

            buckets[^1].Add(item);
        }

        return buckets;
    }

    /// <summary>
    /// Roughly how wide <paramref name="text"/> is in a sans-serif font: the SVG cannot measure text, and a font
    /// that is a little wider than this only narrows the gaps.
    /// </summary>
    private static double TextWidth(string text, double fontSize) =>
        fontSize * text.Sum(c => c switch
        {
            'i' or 'l' or 'j' or 't' or 'f' or 'r' or ' ' or '(' or ')' or '.' or ',' or ':' or ';' or '\'' or '|' or '!' => 0.32,
            'm' or 'w' or 'M' or 'W' or '→' or '…' => 0.88,
            >= 'A' and <= 'Z' => 0.68,
            _ => 0.57,
        });

    /// <summary><paramref name="text"/>, cut short with an ellipsis if it is wider than <paramref name="room"/> px.</summary>
    private static string Fit(string text, double room, double fontSize)
    {
        if (TextWidth(text, fontSize) <= room)
        {
            return text;
        }

        var chars = text.Length;
        while (chars > 1 && TextWidth(SafeText.Truncate(text, chars), fontSize) > room)
        {
            chars = Math.Min(chars - 1, (int)(chars * room / TextWidth(SafeText.Truncate(text, chars), fontSize)) + 1);
        }

        return chars > 1 ? SafeText.Truncate(text, chars) : "";
    }

    private static bool Inside(List<(double From, double To)> ranges, double x) => ranges.Any(r => x >= r.From && x <= r.To);

    private static string F(double value)
    {
        var text = Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
        return text == "-0" ? "0" : text;
    }
}
