using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Tests.Exploration;

public class BarrierUnderExplorationTests
{
    [Fact]
    public void after_a_barrier_every_thread_sees_what_all_of_them_wrote_before_it_in_every_schedule()
    {
        var result = Explorer.Explore(program =>
        {
            var barrier = new TracedBarrier(3, name: "meet");
            var written = program.Shared("written", 0);
            for (var i = 0; i < 3; i++)
            {
                program.Thread($"t{i + 1}", () =>
                {
                    written.Update(count => count + 1);
                    barrier.Wait();
                    program.Assert(written.Value == 3, "all three wrote before anyone went on");
                });
            }
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
        result.SchedulesExplored.Should().BeGreaterThan(1);
    }

    [Fact]
    public void reading_another_threads_result_before_the_barrier_is_an_ordering_bug_the_explorer_finds()
    {
        var result = Explorer.Explore(program =>
        {
            var barrier = new TracedBarrier(2, name: "meet");
            var produced = program.Shared("produced", 0);
            var seen = program.Shared("seen", -1);
            program.Thread("producer", () =>
            {
                barrier.Wait();
                produced.Value = 42;
            });
            program.Thread("consumer", () =>
            {
                barrier.Wait();
                seen.Value = produced.Value;
            });
            program.Check(() => seen.Value == 42, "the consumer saw the product");
        });

        result.FoundBug.Should().BeTrue("the producer writes after the barrier, so the consumer may read first");
        result.FirstBug!.Bug!.Kind.Should().Be(BugKind.AssertionFailed);
        result.Outcomes.Should().Contain(outcome => outcome.Passed, "in some orders the write comes first");
    }

    [Fact]
    public void exactly_one_thread_gets_each_arrival_index_in_every_schedule()
    {
        var result = Explorer.Explore(program =>
        {
            var barrier = new TracedBarrier(3);
            var leaders = program.Shared("leaders", 0);
            var indexSum = program.Shared("index sum", 0);
            for (var i = 0; i < 3; i++)
            {
                program.Thread(() =>
                {
                    var index = barrier.Wait();
                    indexSum.Update(sum => sum + index);
                    if (index == 0)
                    {
                        leaders.Update(count => count + 1);
                    }
                });
            }

            program.Check(() => leaders.Value == 1 && indexSum.Value == 0 + 1 + 2, "one leader, indexes 0, 1, 2");
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
    }

    [Fact]
    public void the_action_runs_before_any_thread_goes_on_even_when_it_touches_shared_state()
    {
        var result = Explorer.Explore(program =>
        {
            var ready = program.Shared("ready", false);
            var barrier = new TracedBarrier(2, action: () => ready.Value = true, name: "meet");
            for (var i = 0; i < 2; i++)
            {
                program.Thread(() =>
                {
                    barrier.Wait();
                    program.Assert(ready.Value, "the action ran before the thread went on");
                });
            }
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
    }

    [Fact]
    public void a_barrier_that_too_few_threads_reach_is_reported_as_a_deadlock_naming_it()
    {
        var result = Explorer.Explore(program =>
        {
            var barrier = new TracedBarrier(3, name: "meet");
            program.Thread("t1", () => barrier.Wait());
            program.Thread("t2", () => barrier.Wait());
        });

        result.FoundBug.Should().BeTrue();
        var bug = result.FirstBug!.Bug!;
        bug.Kind.Should().Be(BugKind.Deadlock);
        bug.Waits.Should().Equal("t1 waits for Barrier 'meet' (2/3 waiting)", "t2 waits for Barrier 'meet' (2/3 waiting)");
        result.FirstBug.FinalStates.Should().Equal(VirtualThreadState.Blocked, VirtualThreadState.Blocked);
    }

    [Fact]
    public void a_timed_wait_at_a_barrier_too_few_threads_reach_breaks_it_and_the_others_get_the_broken_error()
    {
        var result = Explorer.Explore(program =>
        {
            var barrier = new TracedBarrier(3, timeout: TimeSpan.FromSeconds(1), name: "meet");
            var broken = program.Shared("broken", 0);
            for (var i = 0; i < 2; i++)
            {
                program.Thread(() =>
                {
                    try
                    {
                        barrier.Wait();
                    }
                    catch (BrokenBarrierException)
                    {
                        broken.Update(count => count + 1);
                    }
                });
            }

            program.Check(() => broken.Value == 2 && barrier.IsBroken, "both waits end broken");
        });

        result.FoundBug.Should().BeFalse("with nothing else to do, the explorer lets the wait time out, which breaks the barrier for both");
        result.IsExhausted.Should().BeTrue();
    }

    [Fact]
    public void a_reset_while_a_thread_waits_sends_it_away_broken_in_the_schedules_where_it_waits_first()
    {
        var result = Explorer.Explore(program =>
        {
            var barrier = new TracedBarrier(2, name: "meet");
            var outcome = program.Shared("outcome", "");
            program.Thread("waiter", () =>
            {
                try
                {
                    barrier.Wait();
                    outcome.Value = "passed";
                }
                catch (BrokenBarrierException)
                {
                    outcome.Value = "broken";
                }
            });
            program.Thread("resetter", () =>
            {
                barrier.Reset();
                barrier.Wait();
            });
            program.Outcome(() => outcome.Value);
        });

        result.IsExhausted.Should().BeTrue();
        result.Outcomes.Select(o => o.Outcome).Should().Contain("passed", "a reset before the waiter arrives changes nothing");
        result.FoundBug.Should().BeTrue("when the reset sends the waiter away, the resetter then waits alone");
        result.FirstBug!.Bug!.Kind.Should().Be(BugKind.Deadlock);
    }
}
