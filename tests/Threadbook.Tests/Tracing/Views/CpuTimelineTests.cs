using Threadbook.Tests.Introspection;
using Threadbook.Tracing;

namespace Threadbook.Tests.Tracing;

public class CpuTimelineTests
{
    [Fact]
    public void the_picture_names_the_states_the_share_and_how_it_was_sampled()
    {
        var sampling = CpuSamplingTests.Synthetic(("worker-1", "CCCCSSSS"), ("worker-2", "SSSSCCCC"), ("late", "..RRSS.."));

        var timeline = new CpuTimeline(sampling, "CPython's threads");
        var svg = timeline.ToSvg();

        svg.Should().StartWith("<svg").And.NotContain("<script");
        svg.Should().Contain("on a CPU").And.Contain("ready, waiting for a core").And.Contain("asleep (lock, GIL, event, I/O, time)");
        svg.Should().Contain("2+ on a CPU at once: 0% of the busy time");
        svg.Should().Contain(">worker-1 OS 1<").And.Contain(">worker-2 OS 2<");
        svg.Should().Contain("worker-2 OS 2: on a CPU for 4.00 ms");
        svg.Should().Contain("late OS 3: ready, waiting for a core for 2.00 ms");
        svg.Should().Contain("Sampled: 8 samples every 1.0 ms from /proc");
        svg.Should().NotContain("woke (waker");
        timeline.ToHtml().Should().Contain("Two or more threads on a CPU at once: 0% of the 8 ms when at least one was");
        timeline.ToText().Should().Contain("worker-1").And.Contain("on a CPU ms");
    }

    [Fact]
    public void a_trace_is_still_drawn_with_its_own_words()
    {
        var trace = new Trace("t", [new TraceEvent(1, TraceEventKind.Mark, 1, 0, Label: "m"), new TraceEvent(2, TraceEventKind.Mark, 1, 0, Label: "n")],
            [new TraceThread(1, 0, "main", false, false)], []);

        trace.ToSvg().Should().Contain("blocked on a lock").And.Contain("woke (waker").And.Contain("2 events");
    }
}
