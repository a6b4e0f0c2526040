using Threadbook.Exploration;
using Threadbook.Tests.Threading;

namespace Threadbook.Tests.Exploration;

public class ExplorerRobustnessTests
{
    [Fact]
    public void an_exception_in_a_virtual_thread_is_a_bug_that_names_the_thread_and_the_exception()
    {
        var result = Explorer.Explore(program =>
        {
            var balance = program.Shared("balance", 10);
            program.Thread("withdraw", () =>
            {
                if (balance.Value < 20)
                {
                    throw new InvalidOperationException("not enough money");
                }
            });
            program.Thread("deposit", () => balance.Value += 10);
        });

        result.FoundBug.Should().BeTrue();
        var bug = result.FirstBug!.Bug!;
        bug.Kind.Should().Be(BugKind.ThreadException);
        bug.ThreadName.Should().Be("withdraw");
        bug.Exception.Should().BeOfType<InvalidOperationException>();
        bug.Description.Should().Be("withdraw threw InvalidOperationException: not enough money");
        result.Outcomes.Should().Contain(outcome => outcome.Passed, "when the deposit comes first the withdrawal succeeds");
    }

    [Fact]
    public void a_thread_that_waits_for_a_flag_in_a_loop_is_cut_at_the_step_bound_and_the_space_is_not_exhausted()
    {
        var result = Explorer.Explore(
            program =>
            {
                var flag = program.Shared("flag", false);
                program.Thread("spinner", () =>
                {
                    while (!flag.Value)
                    {
                    }
                });
                program.Thread("setter", () => flag.Value = true);
            },
            new ExplorationOptions { MaxSteps = 20 });

        result.FoundBug.Should().BeFalse();
        result.SchedulesCutAtStepBound.Should().BeGreaterThan(0);
        result.IsExhausted.Should().BeFalse();
        result.Outcomes.Should().Contain(outcome => outcome.Outcome == "cut at 20 steps");
    }

    [Fact]
    public void a_thread_blocked_on_something_the_explorer_does_not_control_ends_the_exploration_with_a_timeout_instead_of_a_hang()
    {
        var act = () => Explorer.Explore(
            program =>
            {
                var gate = new object();
                var value = program.Shared("value", 0);
                for (var i = 0; i < 2; i++)
                {
                    program.Thread(() =>
                    {
                        lock (gate)
                        {
                            value.Value += 1;
                        }
                    });
                }
            },
            new ExplorationOptions { ScheduleTimeout = TimeSpan.FromMilliseconds(500) });

        act.Should().Throw<TimeoutException>().WithMessage("*without reaching a scheduling point*plain lock*");
        Eventually.True(() => ExplorerRunners.LiveCount == 0, "the runner threads, the stuck one included, have ended");
    }

    [Fact]
    public void every_runner_thread_ends_with_its_exploration()
    {
        Explorer.Explore(Programs.LockedCounter(3));
        Explorer.Replay(Programs.UnlockedCounter, Schedule.Parse("1,2,1,2"));

        ExplorerRunners.LiveCount.Should().Be(0);
        ExplorerRunners.HookIsActive.Should().BeFalse("outside an exploration the primitives take their plain path");
    }

    [Fact]
    public void a_program_without_threads_is_rejected()
    {
        var act = () => Explorer.Explore(program => program.Shared("x", 0));

        act.Should().Throw<ArgumentException>().WithMessage("*no threads*");
        ExplorerRunners.HookIsActive.Should().BeFalse();
    }

    [Fact]
    public void an_exception_in_the_programs_setup_reaches_the_caller()
    {
        var act = () => Explorer.Explore(_ => throw new InvalidOperationException("setup broke"));

        act.Should().Throw<InvalidOperationException>().WithMessage("setup broke");
    }

    [Fact]
    public void two_threads_with_the_same_name_are_rejected()
    {
        var act = () => Explorer.Explore(program =>
        {
            program.Thread("worker", () => { });
            program.Thread("worker", () => { });
        });

        act.Should().Throw<ArgumentException>().WithMessage("*named 'worker'*");
    }

    [Fact]
    public void an_assertion_inside_a_thread_fails_the_schedule_with_its_claim()
    {
        var result = Explorer.Explore(program =>
        {
            var seen = program.Shared("seen", 0);
            program.Thread("reader", () => program.Assert(seen.Value == 0, "nobody wrote yet"));
            program.Thread("writer", () => seen.Value = 1);
        });

        result.FirstBug!.Bug!.Should().Match<ExplorationBug>(bug =>
            bug.Kind == BugKind.AssertionFailed && bug.Claim == "nobody wrote yet" && bug.ThreadName == "reader");
        result.FirstBug.Outcome.Should().Be("reader: assertion failed");
    }

    [Fact]
    public void a_time_limit_stops_a_large_search_and_says_so()
    {
        var result = Explorer.Explore(
            program =>
            {
                var counter = program.Shared("counter", 0);
                for (var i = 0; i < 6; i++)
                {
                    program.Thread(() =>
                    {
                        for (var k = 0; k < 4; k++)
                        {
                            counter.Value += 1;
                        }
                    });
                }
            },
            new ExplorationOptions { MaxSchedules = 50 });

        result.SchedulesExplored.Should().Be(50);
        result.IsExhausted.Should().BeFalse();
        result.StoppedBecause.Should().Be("the limit of 50 schedules");
        result.Headline.Should().Contain("not every schedule was tried");
    }
}
