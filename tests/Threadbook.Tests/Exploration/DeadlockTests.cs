using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Tests.Exploration;

public class DeadlockTests
{
    [Fact]
    public void two_locks_taken_in_opposite_orders_deadlock_and_the_wait_for_cycle_names_both_threads_and_both_locks()
    {
        var result = Explorer.Explore(Programs.OppositeOrderLocks);

        result.FoundBug.Should().BeTrue();
        result.IsExhausted.Should().BeTrue();
        var bug = result.FirstBug!.Bug!;
        bug.Kind.Should().Be(BugKind.Deadlock);
        bug.Cycle.Should().HaveCount(2);
        bug.Cycle.Select(step => (step.ThreadName, step.Holds, step.WaitsFor, step.HolderThreadName)).Should().Equal(
            ("t1", "lock-A", "lock-B", "t2"),
            ("t2", "lock-B", "lock-A", "t1"));
        bug.Description.Should().Be(
            "deadlock: t1 holds lock-A and waits for lock-B, held by t2; t2 holds lock-B and waits for lock-A, held by t1");
        bug.Waits.Should().Equal("t1 waits for RLock 'lock-B' (held by t2)", "t2 waits for RLock 'lock-A' (held by t1)");
        result.FirstBug.FinalStates.Should().Equal(VirtualThreadState.Blocked, VirtualThreadState.Blocked);
        result.FirstBug.Steps.Select(step => step.Action).Should().Equal("acquire lock-A", "acquire lock-B");
        result.Outcomes.Should().Contain(outcome => outcome.Outcome == "finished" && outcome.Passed, "either thread may take both locks first");
    }

    [Fact]
    public void taking_the_locks_in_one_order_never_deadlocks()
    {
        var result = Explorer.Explore(program =>
        {
            var lockA = new TracedRLock("lock-A");
            var lockB = new TracedRLock("lock-B");
            for (var i = 0; i < 2; i++)
            {
                program.Thread(() =>
                {
                    using (lockA.Hold())
                    using (lockB.Hold())
                    {
                    }
                });
            }
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
    }

    [Fact]
    public void a_thread_taking_a_plain_lock_twice_deadlocks_on_itself()
    {
        var result = Explorer.Explore(program =>
        {
            var plain = new TracedLock("lock-L");
            program.Thread("stubborn", () =>
            {
                using (plain.Hold())
                {
                    plain.Acquire();
                }
            });
        });

        var step = result.FirstBug!.Bug!.Cycle.Should().ContainSingle().Subject;
        step.IsSelfWait.Should().BeTrue();
        step.ThreadName.Should().Be("stubborn");
        result.FirstBug.Bug.Description.Should().Be("deadlock: stubborn holds lock-L and waits for it again (Lock is not re-entrant)");
    }

    [Fact]
    public void an_rlock_taken_twice_by_one_thread_is_not_a_deadlock()
    {
        var result = Explorer.Explore(program =>
        {
            var rlock = new TracedRLock("r");
            var count = program.Shared("count", 0);
            program.Thread(() =>
            {
                using (rlock.Hold())
                using (rlock.Hold())
                {
                    count.Value += 1;
                }
            });
            program.Thread(() =>
            {
                using (rlock.Hold())
                {
                    count.Value += 1;
                }
            });
            program.Check(() => count.Value == 2 && !rlock.IsHeld, "both increments, lock free at the end");
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
    }

    [Fact]
    public void a_thread_waiting_for_an_event_nobody_sets_is_a_deadlock_without_a_cycle()
    {
        var result = Explorer.Explore(program =>
        {
            var ready = new TracedEvent("ready");
            program.Thread("waiter", () => ready.Wait());
            program.Thread("forgetful", () => ready.Clear());
        });

        var bug = result.FirstBug!.Bug!;
        bug.Kind.Should().Be(BugKind.Deadlock);
        bug.Cycle.Should().BeEmpty();
        bug.Waits.Should().Equal("waiter waits for Event 'ready' (not set)");
        bug.Description.Should().Be("deadlock: no thread can go on: waiter waits for Event 'ready' (not set)");
        result.FailingSchedules.Should().Be(result.SchedulesExplored);
    }

    [Fact]
    public void a_set_that_is_cleared_before_the_waiter_starts_waiting_is_missed_and_the_explorer_finds_that_schedule()
    {
        var result = Explorer.Explore(program =>
        {
            var ready = new TracedEvent("ready");
            program.Thread("waiter", () => ready.Wait());
            program.Thread("pulser", () =>
            {
                ready.Set();
                ready.Clear();
            });
        });

        result.FoundBug.Should().BeTrue("when set and clear both come before the wait, the wait never ends");
        result.Outcomes.Should().Contain(outcome => outcome.Passed, "a waiter already waiting when set comes is woken, even though clear follows (Python's semantics)");
        result.FirstBug!.Bug!.Kind.Should().Be(BugKind.Deadlock);
    }

    [Fact]
    public void a_timed_wait_times_out_when_nothing_else_can_happen_instead_of_deadlocking()
    {
        var result = Explorer.Explore(program =>
        {
            var ready = new TracedEvent("ready");
            var got = program.Shared("got", "");
            program.Thread("waiter", () => got.Value = ready.Wait(TimeSpan.FromSeconds(1)) ? "set" : "timed out");
            program.Thread("maybe-setter", () => ready.Set());
        });

        result.FoundBug.Should().BeFalse();
        result.Outcomes.Select(outcome => outcome.Outcome).Should().BeEquivalentTo(["got = set"],
            "the setter can always still run, so the explorer never has to let the wait time out");

        var lonely = Explorer.Explore(program =>
        {
            var ready = new TracedEvent("ready");
            var got = program.Shared("got", "");
            program.Thread("waiter", () => got.Value = ready.Wait(TimeSpan.FromSeconds(1)) ? "set" : "timed out");
        });
        lonely.FoundBug.Should().BeFalse();
        lonely.Outcomes.Should().ContainSingle().Which.Outcome.Should().Be("got = timed out");
    }
}
