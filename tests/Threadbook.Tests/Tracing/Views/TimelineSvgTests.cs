using Stopwatch = System.Diagnostics.Stopwatch;
using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Threadbook.Tracing;
using Xunit.Abstractions;

namespace Threadbook.Tests.Tracing;

public class TimelineSvgTests(ITestOutputHelper output)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    // The plot's horizontal extent in the SVG (see TimelineDrawing): 100 ms traces map 1 ms to 6.7 px.
    private const double PlotLeft = 200;
    private const double PlotRight = 870;

    [Fact]
    public void timeline_is_well_formed_svg_with_one_lane_label_per_thread()
    {
        var trace = SyntheticTrace.LockHandOff().Build(100);

        var svg = Parse(TimelineSvg.Render(trace));

        svg.Name.Should().Be(Svg + "svg");
        svg.Attribute("viewBox").Should().NotBeNull();
        var labels = WithClass(svg, "tb-lane-label").Select(e => e.Nodes().OfType<XText>().Single().Value).ToArray();
        labels.Should().Equal("alpha #1", "beta #2 (background)");
    }

    [Fact]
    public void hover_text_names_the_objects_and_the_threads()
    {
        var svg = Parse(TimelineSvg.Render(SyntheticTrace.LockHandOff().Build(100)));

        var titles = svg.Descendants(Svg + "title").Select(t => t.Value).ToArray();
        titles.Should().Contain(t => t.Contains("blocked on 'accounts' (Lock)") && t.Contains("held by beta #2") && t.StartsWith("alpha #1"));
        titles.Should().Contain(t => t.Contains("waiting for 'ready' (Event)") && t.Contains("TIMED OUT"));
        titles.Should().Contain(t => t.Contains("set 'ready' (Event) at 45.0 ms"));
    }

    [Fact]
    public void a_lock_wait_is_drawn_blocked_where_it_happened_and_an_event_wait_as_waiting()
    {
        var svg = Parse(TimelineSvg.Render(SyntheticTrace.LockHandOff().Build(100)));

        var blocked = WithClass(svg, "tb-blocked").Should().ContainSingle().Subject;
        Number(blocked, "x").Should().BeApproximately(XAt(10), 0.2);
        (Number(blocked, "x") + Number(blocked, "width")).Should().BeApproximately(XAt(40), 0.2);
        blocked.Attribute("fill")!.Value.Should().Contain("url(#").And.EndWith("#D55E00", "the hatch pattern falls back to plain red");
        var waiting = WithClass(svg, "tb-waiting").Should().ContainSingle().Subject;
        Number(waiting, "x").Should().BeApproximately(XAt(60), 0.2);
    }

    [Fact]
    public void an_arrow_runs_from_the_releasers_lane_at_the_release_to_the_woken_lane_at_the_wake_up()
    {
        var trace = new SyntheticTrace()
            .Thread(1, "waiter").Thread(2, "releaser").Object(7, "gate", "Semaphore")
            .Wait(1, 7, WaitKind.Semaphore, 10, 40, wokenBy: 2)
            .At(30, TraceEventKind.Released, 2, obj: 7)
            .Build(100);

        var svg = Parse(TimelineSvg.Render(trace));

        var arrow = WithClass(svg, "tb-woke").Should().ContainSingle().Subject;
        arrow.Attribute("data-from-lane")!.Value.Should().Be("1");
        arrow.Attribute("data-to-lane")!.Value.Should().Be("0");
        var (x1, y1, x2, y2) = LineOf(arrow);
        x1.Should().BeApproximately(XAt(30), 0.2);
        x2.Should().BeApproximately(XAt(40), 0.2);
        y1.Should().BeGreaterThan(y2, "the releaser's lane is below the waiter's");
        arrow.Element(Svg + "title")!.Value.Should().Be("releaser #2 released 'gate' (Semaphore) at 30.0 ms, waking waiter #1 at 40.0 ms");
    }

    [Fact]
    public void the_svg_has_no_script_no_style_sheet_and_no_external_resource()
    {
        var text = TimelineSvg.Render(SyntheticTrace.LockHandOff().Build(100));

        text.Should().NotContainEquivalentOf("<script").And.NotContain("<style").And.NotContain("href").And.NotContain("@import");
        text.Replace("http://www.w3.org/2000/svg", "").Should().NotContain("http");
        Parse(text).Descendants().SelectMany(e => e.Attributes()).Where(a => a.Value.Contains("url("))
            .Should().OnlyContain(a => a.Value.StartsWith("url(#"), "patterns are defined inside the SVG");
    }

    [Fact]
    public void hostile_names_and_labels_are_escaped_and_stay_readable()
    {
        const string hostile = "</text><script>alert(\"x\")</script> & 'q' \u0001 \uD800";
        var trace = new SyntheticTrace()
            .Thread(1, hostile).Object(1, hostile, "<Lock>")
            .Wait(1, 1, WaitKind.Lock, 10, 20)
            .At(30, TraceEventKind.Mark, 1, label: hostile)
            .At(40, TraceEventKind.SpanBegan, 1, label: hostile)
            .At(50, TraceEventKind.SpanEnded, 1)
            .At(60, TraceEventKind.Deadlock, 1, label: hostile)
            .Build(100, title: hostile);

        var text = TimelineSvg.Render(trace);

        text.Should().NotContain("<script");
        var svg = Parse(text);
        svg.Descendants(Svg + "title").Select(t => t.Value)
            .Should().Contain(t => t.Contains("blocked on '</text><script>alert(\"x\")</script> & 'q' \uFFFD \uFFFD' (<Lock>)"));
        WithClass(svg, "tb-deadlock").Should().ContainSingle();
    }

    [Fact]
    public void an_empty_trace_renders_a_small_svg_saying_nothing_was_recorded()
    {
        var trace = new Trace("idle", [], [], []);

        var text = TimelineSvg.Render(trace);

        var svg = Parse(text);
        svg.Value.Should().Contain("idle").And.Contain("nothing was recorded");
        text.Length.Should().BeLessThan(1000);
    }

    [Fact]
    public void a_thread_that_never_stopped_is_marked_still_running_and_an_open_wait_lasts_to_the_end()
    {
        var trace = new SyntheticTrace()
            .Thread(1, "finisher").Thread(2, "stuck").Object(1, "door", "Lock")
            .Started(0, 1).Started(0, 2)
            .Wait(2, 1, WaitKind.Lock, 20, to: null, heldBy: 1)
            .Stopped(50, 1)
            .Build(100);

        var svg = Parse(TimelineSvg.Render(trace));

        var marker = WithClass(svg, "tb-still-running").Should().ContainSingle().Subject;
        marker.Value.Should().Contain("stuck #2 had not stopped").And.Contain("still blocked");
        var blocked = WithClass(svg, "tb-blocked").Should().ContainSingle().Subject;
        (Number(blocked, "x") + Number(blocked, "width")).Should().BeApproximately(PlotRight, 0.2);
        blocked.Value.Should().Contain("blocked on 'door' (Lock) for 80.0 ms").And.Contain("still waiting when the trace ended");
    }

    [Fact]
    public void spans_marks_timeouts_and_deadlocks_are_drawn_with_their_labels()
    {
        var trace = new SyntheticTrace()
            .Thread(1, "main").Object(1, "cv", "Condition")
            .At(5, TraceEventKind.SpanBegan, 1, label: "load config")
            .At(8, TraceEventKind.Mark, 1, label: "halfway")
            .At(30, TraceEventKind.SpanEnded, 1)
            .Wait(1, 1, WaitKind.Condition, 40, 60, WaitOutcome.TimedOut)
            .At(90, TraceEventKind.Deadlock, 1, label: "main → cv → main")
            .Build(100);

        var svg = Parse(TimelineSvg.Render(trace));

        var texts = svg.Descendants(Svg + "text").Select(t => t.Nodes().OfType<XText>().FirstOrDefault()?.Value).ToArray();
        texts.Should().Contain("load config").And.Contain("halfway").And.Contain("DEADLOCK at 90.0 ms: main → cv → main");
        WithClass(svg, "tb-timeout").Should().ContainSingle().Which.Value.Should().Contain("TIMED OUT");
        WithClass(svg, "tb-deadlock").Should().ContainSingle();
    }

    [Fact]
    public void a_trace_whose_events_all_happen_at_once_still_renders()
    {
        var trace = new SyntheticTrace().Thread(1, "instant").Object(1, "m", "Lock")
            .Started(0, 1).Wait(1, 1, WaitKind.Lock, 0, 0).At(0, TraceEventKind.Mark, 1, label: "now").Stopped(0, 1)
            .Build(0);

        var svg = Parse(TimelineSvg.Render(trace));

        WithClass(svg, "tb-lane-label").Should().ContainSingle();
        svg.Descendants(Svg + "text").Should().Contain(t => t.Value.EndsWith(" ms"));
    }

    [Fact]
    public void ten_thousand_events_render_under_500_kb_with_a_note_that_detail_was_merged()
    {
        var trace = SyntheticTrace.Hammer();
        trace.Events.Count.Should().BeGreaterThanOrEqualTo(10_000);
        TimelineSvg.Render(trace); // warm-up, so the timing below is the renderer's, not the JIT's

        var watch = Stopwatch.StartNew();
        var text = TimelineSvg.Render(trace);
        watch.Stop();

        var bytes = Encoding.UTF8.GetByteCount(text);
        output.WriteLine($"{trace.Events.Count} events, {trace.Threads.Count} threads: SVG {bytes:N0} bytes in {watch.Elapsed.TotalMilliseconds:F1} ms");
        bytes.Should().BeLessThan(500_000);
        var svg = Parse(text);
        WithClass(svg, "tb-lane-label").Should().HaveCount(8);
        WithClass(svg, "tb-merged").Should().NotBeEmpty();
        svg.Value.Should().Contain("Merged to stay readable");
    }

    [Fact]
    public void a_hundred_threads_stay_readable_and_the_undrawn_ones_are_counted()
    {
        var builder = new SyntheticTrace().Object(1, "shared", "Lock");
        for (var t = 1; t <= 100; t++)
        {
            builder.Thread(t, $"t{t}").Started(t * 0.5, t).Wait(t, 1, WaitKind.Lock, (t * 0.5) + 1, (t * 0.5) + 2, wokenBy: t == 1 ? 0 : t - 1);
            for (var i = 0; i < t % 7; i++)
            {
                builder.At((t * 0.5) + 3 + i, TraceEventKind.Mark, t, label: "busy");
            }
        }

        var text = TimelineSvg.Render(builder.Build(100));

        var svg = Parse(text);
        var labels = WithClass(svg, "tb-lane-label").ToArray();
        labels.Length.Should().BeInRange(30, 60);
        svg.Value.Should().Contain($"… {100 - labels.Length} more threads not drawn");
        var height = Number(svg, "height");
        (height / labels.Length).Should().BeGreaterThanOrEqualTo(14, "a lane must stay tall enough to read its label");
        height.Should().BeLessThan(1000);
    }

    private static XElement Parse(string text) => XDocument.Parse(text).Root!;

    private static IEnumerable<XElement> WithClass(XElement svg, string cssClass) =>
        svg.Descendants().Where(e => (string?)e.Attribute("class") == cssClass);

    private static double Number(XElement element, string attribute) =>
        double.Parse(element.Attribute(attribute)!.Value, CultureInfo.InvariantCulture);

    private static double XAt(double ms) => PlotLeft + (ms / 100 * (PlotRight - PlotLeft));

    private static (double X1, double Y1, double X2, double Y2) LineOf(XElement path)
    {
        // "M x1,y1 L x2,y2 M ..." : the shaft comes first, the arrowhead after.
        var parts = path.Attribute("d")!.Value.Split('M', StringSplitOptions.RemoveEmptyEntries)[0].Split('L');
        var from = parts[0].Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        var to = parts[1].Split(',').Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
        return (from[0], from[1], to[0], to[1]);
    }
}
