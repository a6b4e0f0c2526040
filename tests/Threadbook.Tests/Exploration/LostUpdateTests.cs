using Threadbook.Exploration;

namespace Threadbook.Tests.Exploration;

public class LostUpdateTests
{
    [Fact]
    public void the_notes_race_is_found_as_a_lost_update_ending_at_1_instead_of_2()
    {
        var result = Explorer.Explore(Programs.UnlockedCounter);

        result.FoundBug.Should().BeTrue();
        result.IsExhausted.Should().BeTrue("two threads of two steps each are few schedules");
        result.Outcomes.Select(outcome => outcome.Outcome).Should().BeEquivalentTo(["gl_num = 1", "gl_num = 2"]);
        result.Outcomes.Single(outcome => outcome.Outcome == "gl_num = 1").Bug!.Description.Should().Be("check failed: gl_num == 2");
        result.Outcomes.Single(outcome => outcome.Outcome == "gl_num = 2").Passed.Should().BeTrue();

        var bug = result.FirstBug!;
        bug.Outcome.Should().Be("gl_num = 1");
        bug.Bug!.Kind.Should().Be(BugKind.AssertionFailed);
        bug.Steps.Select(step => step.Action).Should().Equal(
            "read gl_num → 0", "read gl_num → 0", "write gl_num ← 1", "write gl_num ← 1");
        bug.Steps.Select(step => step.ThreadName).Distinct().Should().BeEquivalentTo(["t1", "t2"]);
        bug.Steps[^1].ValuesAfter.Should().Equal("1");
    }

    [Fact]
    public void the_failing_schedule_replays_identically_twice()
    {
        var schedule = Explorer.Explore(Programs.UnlockedCounter).FirstBug!.Schedule;

        var first = Explorer.Replay(Programs.UnlockedCounter, schedule);
        var second = Explorer.Replay(Programs.UnlockedCounter, schedule);

        first.DivergedAtStep.Should().BeNull();
        second.DivergedAtStep.Should().BeNull();
        first.Schedule.Should().Be(schedule);
        second.Schedule.Should().Be(schedule);
        second.Steps.Select(step => step.ToString()).Should().Equal(first.Steps.Select(step => step.ToString()));
        second.Steps.Select(step => string.Join("|", step.ValuesAfter)).Should().Equal(first.Steps.Select(step => string.Join("|", step.ValuesAfter)));
        second.Outcome.Should().Be("gl_num = 1").And.Be(first.Outcome);
        second.Bug!.Description.Should().Be(first.Bug!.Description);
    }

    [Fact]
    public void a_failing_schedule_written_as_text_is_a_regression_test_that_passes_once_the_update_is_atomic()
    {
        var schedule = Schedule.Parse(Explorer.Explore(Programs.UnlockedCounter).FirstBug!.Schedule.ToString());

        Explorer.Replay(Programs.UnlockedCounter, schedule).Bug.Should().NotBeNull("the unfixed program still loses the update");

        var fixedRun = Explorer.Replay(
            program =>
            {
                var glNum = program.Shared("gl_num", 0);
                program.Thread("t1", () => glNum.Update(value => value + 1));
                program.Thread("t2", () => glNum.Update(value => value + 1));
                program.Check(() => glNum.Value == 2, "gl_num == 2");
            },
            schedule);
        fixedRun.Bug.Should().BeNull();
        fixedRun.Outcome.Should().Be("gl_num = 2");
        fixedRun.DivergedAtStep.Should().NotBeNull("the fixed program takes one step per thread, so the old schedule no longer fits");
    }

    [Fact]
    public void reduction_runs_each_order_of_conflicting_steps_once_and_without_it_every_interleaving_runs()
    {
        var reduced = Explorer.Explore(Programs.UnlockedCounter);
        var full = Explorer.Explore(Programs.UnlockedCounter, new ExplorationOptions { Reduction = false });

        full.SchedulesExplored.Should().Be(6, "two threads of two steps interleave in C(4,2) = 6 ways");
        full.IsExhausted.Should().BeTrue();
        reduced.SchedulesExplored.Should().Be(4, "the two reads commute, so r1 r2 … and r2 r1 … are one schedule");
        reduced.Outcomes.Sum(outcome => outcome.Count).Should().Be(4);
        full.Outcomes.Select(outcome => outcome.Outcome).Should().BeEquivalentTo(reduced.Outcomes.Select(outcome => outcome.Outcome));
    }

    [Fact]
    public void stopping_at_the_first_bug_reports_how_long_finding_it_took()
    {
        var result = Explorer.Explore(Programs.UnlockedCounter, new ExplorationOptions { StopAtFirstBug = true });

        result.FoundBug.Should().BeTrue();
        result.SchedulesToFirstBug.Should().Be(result.SchedulesExplored);
        result.TimeToFirstBug.Should().NotBeNull();
        result.StoppedBecause.Should().Be("the first bug");
        result.IsExhausted.Should().BeFalse();
    }
}
