using System.Net;
using System.Text;
using Threadbook.Tracing;

namespace Threadbook.Tests.Tracing;

public class TraceSummaryTests
{
    [Fact]
    public void thread_totals_split_each_life_into_running_waiting_and_blocked()
    {
        var summary = TraceSummary.Of(SyntheticTrace.LockHandOff().Build(100));

        var alpha = summary.Threads[0];
        alpha.Blocked.TotalMilliseconds.Should().BeApproximately(30, 0.001);
        alpha.Waiting.TotalMilliseconds.Should().BeApproximately(10, 0.001);
        alpha.Running.TotalMilliseconds.Should().BeApproximately(40, 0.001, "alive 0 to 80 ms, 40 of them waiting");
        alpha.Waits.Should().Be(2);
        alpha.LongestWait.TotalMilliseconds.Should().BeApproximately(30, 0.001);
        alpha.Timeouts.Should().Be(1);
        alpha.StillRunningAtEnd.Should().BeFalse();
        var beta = summary.Threads[1];
        beta.Running.TotalMilliseconds.Should().BeApproximately(100, 0.001);
        beta.StillRunningAtEnd.Should().BeTrue();
    }

    [Fact]
    public void object_totals_count_contended_acquisitions_waits_signals_and_timeouts()
    {
        var summary = TraceSummary.Of(SyntheticTrace.LockHandOff().Build(100));

        var accounts = summary.Objects.Single(o => o.Object.Name == "accounts");
        accounts.Acquisitions.Should().Be(2);
        accounts.ContendedAcquisitions.Should().Be(1, "alpha acquired it after waiting; beta did not wait");
        accounts.Releases.Should().Be(2);
        accounts.Waits.Should().Be(1);
        accounts.TotalWait.TotalMilliseconds.Should().BeApproximately(30, 0.001);
        accounts.LongestWait.TotalMilliseconds.Should().BeApproximately(30, 0.001);
        var ready = summary.Objects.Single(o => o.Object.Name == "ready");
        (ready.Sets, ready.Clears, ready.Timeouts, ready.Waits).Should().Be((1, 1, 1, 1));
    }

    [Fact]
    public void text_lines_up_the_same_facts_the_properties_hold()
    {
        var text = TraceSummary.Of(SyntheticTrace.LockHandOff().Build(100)).ToText();

        var lines = text.Split(Environment.NewLine);
        lines[0].Should().Be("Trace \"test trace\": 100.0 ms, 2 threads, 13 events.");
        lines.Should().Contain(l => l.StartsWith("alpha #1") && l.Contains("40.00") && l.Contains("10.00") && l.Contains("30.00") && l.EndsWith("stopped"));
        lines.Should().Contain(l => l.StartsWith("beta #2 (background)") && l.EndsWith("still running"));
        lines.Should().Contain(l => l.StartsWith("accounts") && l.Contains("Lock"));
        lines.Should().Contain(l => l.StartsWith("ready") && l.Contains("1 / 1 / 0"));
    }

    [Fact]
    public void html_has_a_table_per_topic_with_the_same_rows()
    {
        var html = TraceSummary.Of(SyntheticTrace.LockHandOff().Build(100)).ToHtml();

        html.Should().Contain("<caption style=\"text-align:left\">Threads</caption>").And.Contain(">Objects</caption>");
        html.Should().Contain("<td>alpha #1</td><td>40.00</td><td>10.00</td><td>30.00</td><td>2</td><td>30.00</td><td>1</td><td>stopped</td>");
        html.Should().NotContain("<script");
    }

    [Fact]
    public void deadlocks_notes_dropped_events_and_stuck_threads_are_reported()
    {
        var trace = new SyntheticTrace()
            .Thread(1, "a").Thread(2, "b").Object(1, "left", "Lock").Object(2, "right", "Lock")
            .Wait(1, 2, WaitKind.Lock, 10, to: null, heldBy: 2)
            .Wait(2, 1, WaitKind.Lock, 12, to: null, heldBy: 1)
            .At(50, TraceEventKind.Deadlock, 2, label: "a waits for right held by b, b waits for left held by a")
            .Build(60, notes: ["2 threads were still running when the cell ended."], dropped: 3);

        var summary = TraceSummary.Of(trace);
        var text = summary.ToText();
        var html = WebUtility.HtmlDecode(summary.ToHtml());

        summary.Deadlocks.Should().ContainSingle().Which.Should().Be("at 50.0 ms, reported by b #2: a waits for right held by b, b waits for left held by a");
        summary.Threads[0].UnfinishedWait.Should().StartWith("blocked on 'right' (Lock) for 50.0 ms");
        foreach (var rendering in new[] { text, html })
        {
            rendering.Should().Contain("a waits for right held by b").And.Contain("2 threads were still running when the cell ended.")
                .And.Contain("3 events dropped").And.Contain("still blocked on 'right' (Lock)");
        }
    }

    [Fact]
    public void html_stays_under_20_kb_for_a_hundred_threads_and_many_objects_and_says_what_it_left_out()
    {
        var builder = new SyntheticTrace();
        for (var o = 1; o <= 60; o++)
        {
            builder.Object(o, $"object with a rather long name number {o} <&>" + new string('x', 80), "Semaphore");
        }

        for (var t = 1; t <= 100; t++)
        {
            builder.Thread(t, $"thread with a long descriptive name {t}" + new string('y', 80))
                .Wait(t, 1 + (t % 60), WaitKind.Semaphore, t * 0.1, (t * 0.1) + 1, wokenBy: 1 + (t % 100));
        }

        var summary = TraceSummary.Of(builder.Build(100, notes: Enumerable.Range(1, 30).Select(i => $"note {i}: " + new string('z', 500))));

        var html = summary.ToHtml();
        Encoding.UTF8.GetByteCount(html).Should().BeLessThan(20_000);
        summary.Threads.Should().HaveCount(100);
        html.Should().Contain("… 70 more threads").And.Contain("… 40 more objects").And.Contain("… and 20 more notes.");
        summary.ToText().Should().Contain("… 70 more threads");
    }

    [Fact]
    public void an_empty_trace_says_nothing_was_recorded()
    {
        var summary = TraceSummary.Of(new Trace("idle", [], [], []));

        summary.ToText().Should().Be("Trace \"idle\": 0 µs, 0 threads, 0 events: nothing was recorded.");
        summary.ToHtml().Should().Contain("nothing was recorded");
    }
}
