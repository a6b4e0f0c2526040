using Threadbook.Exploration;

namespace Threadbook.Tests.Exploration;

public class ExplorationRenderingTests
{
    [Fact]
    public void the_failing_schedule_renders_as_a_table_with_a_lane_per_thread_a_column_per_step_and_no_script()
    {
        var run = Explorer.Explore(Programs.UnlockedCounter).FirstBug!;

        var html = run.ToHtml();

        html.Should().NotContain("<script").And.NotContain("http://").And.NotContain("https://");
        html.Should().Contain(">t1 <span").And.Contain(">t2 <span").And.Contain(">gl_num <span");
        html.Should().Contain("read gl_num → 0").And.Contain("write gl_num ← 1");
        html.Should().Contain("Replay it").And.Contain("Schedule.Parse(&quot;1,2,1,2&quot;)");
        html.Length.Should().BeLessThan(20_000);
    }

    [Fact]
    public void the_text_timeline_shows_each_threads_steps_in_its_own_row_and_the_values_under_them()
    {
        var text = Explorer.Explore(Programs.UnlockedCounter).FirstBug!.Timeline.ToText();

        var lines = text.Split('\n').Select(line => line.TrimEnd()).ToArray();
        lines[0].Should().StartWith("step").And.Contain("start").And.Contain("end");
        lines.Should().Contain(line => line.StartsWith("t1") && line.Contains("read gl_num → 0") && line.Contains("write gl_num ← 1") && line.EndsWith("finished"));
        lines.Should().Contain(line => line.StartsWith("gl_num") && line.EndsWith("1"));
    }

    [Fact]
    public void a_deadlock_is_drawn_as_its_wait_for_cycle()
    {
        var html = Explorer.Explore(Programs.OppositeOrderLocks).FirstBug!.ToHtml();

        html.Should().Contain("<svg").And.Contain("wait-for cycle").And.Contain("waits for").And.Contain("held by");
        html.Should().Contain("stuck: lock-B").And.Contain("stuck: lock-A");
    }

    [Fact]
    public void the_result_shows_the_outcomes_with_their_counts_and_never_prints_a_check_mark()
    {
        var result = Explorer.Explore(Programs.UnlockedCounter);

        var text = result.ToText();
        text.Should().StartWith("Bug found: 2 of 4 schedules fail (check failed: gl_num == 2).");
        text.Should().Contain("gl_num = 2  2          passes").And.Contain("gl_num = 1  2          check failed: gl_num == 2");
        foreach (var rendering in new[] { text, result.ToHtml() })
        {
            rendering.Should().NotContain("✅").And.NotContain("❌", "the workbook counts those as check results");
        }
    }

    [Fact]
    public void the_step_table_has_a_row_per_step_with_the_values_after_it()
    {
        var text = Explorer.Explore(Programs.UnlockedCounter).FirstBug!.StepTable.ToText();

        text.Should().Contain("Schedule 1,2,1,2: 4 steps");
        text.Should().Contain("3     t1      write gl_num ← 1  1");
    }
}
