using System.Text.Json;
using Threadbook.Tracing;

namespace Threadbook.Tests.Tracing;

public class TraceChromeJsonTests
{
    [Fact]
    public void json_parses_and_names_every_lane_once()
    {
        var trace = SyntheticTrace.LockHandOff().Build(100);

        using var json = JsonDocument.Parse(ChromeTraceJson.Write(trace));

        json.RootElement.GetProperty("displayTimeUnit").GetString().Should().Be("ms");
        json.RootElement.GetProperty("otherData").GetProperty("title").GetString().Should().Be("test trace");
        var names = Events(json).Where(e => Phase(e) == "M" && e.GetProperty("name").GetString() == "thread_name").ToArray();
        names.Select(e => e.GetProperty("args").GetProperty("name").GetString()).Should().Equal("alpha #1", "beta #2 (background)");
        names.Select(e => e.GetProperty("tid").GetInt32()).Should().Equal(1, 2);
        names.Select(e => e.GetProperty("pid").GetInt32()).Should().AllBeEquivalentTo(Environment.ProcessId);
    }

    [Fact]
    public void each_wait_is_one_complete_event_with_its_start_and_duration_in_microseconds()
    {
        var trace = SyntheticTrace.LockHandOff().Build(100);

        using var json = JsonDocument.Parse(ChromeTraceJson.Write(trace));

        var blocked = Events(json).Where(e => Phase(e) == "X" && e.GetProperty("name").GetString() == "blocked").Should().ContainSingle().Subject;
        blocked.GetProperty("tid").GetInt32().Should().Be(1);
        blocked.GetProperty("ts").GetDouble().Should().BeApproximately(10_000, 0.01);
        blocked.GetProperty("dur").GetDouble().Should().BeApproximately(30_000, 0.01);
        blocked.GetProperty("args").GetProperty("object").GetString().Should().Be("accounts");
        var waiting = Events(json).Where(e => Phase(e) == "X" && e.GetProperty("name").GetString() == "waiting").Should().ContainSingle().Subject;
        waiting.GetProperty("dur").GetDouble().Should().BeApproximately(10_000, 0.01);
        waiting.GetProperty("args").GetProperty("outcome").GetString().Should().Be("TimedOut");
    }

    [Fact]
    public void wake_ups_become_flow_pairs_from_the_waker_to_the_woken_thread()
    {
        var trace = SyntheticTrace.LockHandOff().Build(100);

        using var json = JsonDocument.Parse(ChromeTraceJson.Write(trace));

        var start = Events(json).Should().ContainSingle(e => Phase(e) == "s").Subject;
        var finish = Events(json).Should().ContainSingle(e => Phase(e) == "f").Subject;
        finish.GetProperty("id").GetInt32().Should().Be(start.GetProperty("id").GetInt32());
        finish.GetProperty("bp").GetString().Should().Be("e");
        start.GetProperty("tid").GetInt32().Should().Be(2, "beta released the lock");
        finish.GetProperty("tid").GetInt32().Should().Be(1, "alpha was woken");
        start.GetProperty("ts").GetDouble().Should().BeApproximately(40_000, 0.01);
        finish.GetProperty("ts").GetDouble().Should().BeApproximately(40_000, 0.01);
    }

    [Fact]
    public void point_events_are_thread_scoped_instants_named_after_their_object()
    {
        var trace = SyntheticTrace.LockHandOff().Build(100);

        using var json = JsonDocument.Parse(ChromeTraceJson.Write(trace));

        var instants = Events(json).Where(e => Phase(e) == "i").ToArray();
        instants.Should().OnlyContain(e => e.GetProperty("s").GetString() == "t");
        instants.Select(e => e.GetProperty("name").GetString())
            .Should().Contain(["acquired accounts", "released accounts", "set ready", "cleared ready", "timed out"]);
    }

    [Fact]
    public void slices_on_one_thread_nest_even_when_user_spans_cut_across_running_time()
    {
        var trace = new SyntheticTrace()
            .Thread(1, "worker").Object(1, "m", "Lock")
            .At(5, TraceEventKind.SpanBegan, 1, label: "outer")
            .Wait(1, 1, WaitKind.Lock, 10, 20)
            .At(25, TraceEventKind.SpanBegan, 1, label: "inner")
            .At(30, TraceEventKind.SpanEnded, 1)
            .At(60, TraceEventKind.SpanEnded, 1)
            .Build(100);

        using var json = JsonDocument.Parse(ChromeTraceJson.Write(trace));

        var slices = Events(json).Where(e => Phase(e) == "X")
            .Select(e => (Start: e.GetProperty("ts").GetDouble(), End: e.GetProperty("ts").GetDouble() + e.GetProperty("dur").GetDouble()))
            .ToArray();
        slices.Should().HaveCountGreaterThan(4);
        foreach (var a in slices)
        {
            foreach (var b in slices)
            {
                var overlap = a.Start < b.End && b.Start < a.End;
                var nested = (a.Start >= b.Start && a.End <= b.End) || (b.Start >= a.Start && b.End <= a.End);
                (overlap && !nested).Should().BeFalse($"[{a.Start}, {a.End}] and [{b.Start}, {b.End}] must nest or not overlap");
            }
        }
    }

    [Fact]
    public void hostile_names_come_through_as_valid_json()
    {
        const string hostile = "\"},{\"ph\":\"X\" \\ \u0001 \uD800 线程";
        var trace = new SyntheticTrace().Thread(1, hostile).Object(1, hostile, "Lock")
            .At(1, TraceEventKind.Acquired, 1, obj: 1).At(2, TraceEventKind.Mark, 1, label: hostile).Build(10, title: hostile);

        using var json = JsonDocument.Parse(ChromeTraceJson.Write(trace));

        var name = Events(json).Single(e => e.GetProperty("name").GetString() == "thread_name").GetProperty("args").GetProperty("name").GetString();
        name.Should().Be("\"},{\"ph\":\"X\" \\ \uFFFD \uFFFD 线程 #1");
    }

    [Fact]
    public void an_empty_trace_is_still_a_valid_trace_file()
    {
        using var json = JsonDocument.Parse(ChromeTraceJson.Write(new Trace("idle", [], [], [])));

        Events(json).Should().ContainSingle(e => e.GetProperty("name").GetString() == "process_name");
    }

    private static JsonElement[] Events(JsonDocument json) => json.RootElement.GetProperty("traceEvents").EnumerateArray().ToArray();

    private static string? Phase(JsonElement e) => e.GetProperty("ph").GetString();
}
