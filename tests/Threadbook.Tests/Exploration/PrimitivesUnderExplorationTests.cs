using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Tests.Exploration;

public class PrimitivesUnderExplorationTests
{
    [Fact]
    public void the_locked_counter_is_exhausted_with_no_bug()
    {
        var result = Explorer.Explore(Programs.LockedCounter(2));

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
        result.SchedulesExplored.Should().Be(2, "with the lock the only choice left is which thread takes it first");
        result.Outcomes.Should().ContainSingle().Which.Should().Match<OutcomeCount>(outcome => outcome.Outcome == "gl_num = 2" && outcome.Count == 2 && outcome.Passed);
    }

    [Fact]
    public void three_threads_with_a_lock_have_six_schedules_one_per_order_of_taking_it()
    {
        var result = Explorer.Explore(Programs.LockedCounter(3));

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
        result.SchedulesExplored.Should().Be(6);
    }

    [Fact]
    public void a_semaphore_of_two_lets_at_most_two_threads_in_at_once()
    {
        Action<ExploredProgram> Gate(int slots) => program =>
        {
            var semaphore = new TracedSemaphore(slots, name: "two at a time");
            var inside = program.Shared("inside", 0);
            for (var i = 0; i < 3; i++)
            {
                program.Thread(() =>
                {
                    using (semaphore.Hold())
                    {
                        var now = inside.Update(count => count + 1);
                        program.Assert(now <= 2, "at most two inside");
                        inside.Update(count => count - 1);
                    }
                });
            }
        };

        Explorer.Explore(Gate(2)).FoundBug.Should().BeFalse();
        var tooWide = Explorer.Explore(Gate(3));
        tooWide.FoundBug.Should().BeTrue();
        tooWide.FirstBug!.Bug!.Kind.Should().Be(BugKind.AssertionFailed);
        tooWide.FirstBug.Bug.Description.Should().EndWith("assertion failed: at most two inside");
    }

    [Fact]
    public void a_condition_hands_items_from_a_producer_to_a_consumer_in_every_schedule()
    {
        var result = Explorer.Explore(program =>
        {
            var condition = new TracedCondition(name: "items");
            var items = program.Shared("items", 0);
            var consumed = program.Shared("consumed", 0);
            program.Thread("producer", () =>
            {
                for (var i = 0; i < 2; i++)
                {
                    using (condition.Hold())
                    {
                        items.Value += 1;
                        condition.Notify();
                    }
                }
            });
            program.Thread("consumer", () =>
            {
                for (var i = 0; i < 2; i++)
                {
                    using (condition.Hold())
                    {
                        condition.WaitFor(() => items.Value > 0);
                        items.Value -= 1;
                        consumed.Value += 1;
                    }
                }
            });
            program.Check(() => consumed.Value == 2 && items.Value == 0, "both items consumed");
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
        result.SchedulesExplored.Should().BeGreaterThan(1);
    }

    [Fact]
    public void waiting_on_a_condition_without_a_loop_misses_a_notify_and_the_explorer_finds_it()
    {
        var result = Explorer.Explore(program =>
        {
            var condition = new TracedCondition(name: "go");
            program.Thread("waiter", () =>
            {
                using (condition.Hold())
                {
                    condition.Wait();
                }
            });
            program.Thread("notifier", () =>
            {
                using (condition.Hold())
                {
                    condition.Notify();
                }
            });
        });

        result.FoundBug.Should().BeTrue("a notify that comes before the wait wakes nobody");
        result.FirstBug!.Bug!.Kind.Should().Be(BugKind.Deadlock);
        result.Outcomes.Should().Contain(outcome => outcome.Passed);
    }

    [Fact]
    public void an_event_lets_a_waiter_go_once_another_thread_sets_it()
    {
        var result = Explorer.Explore(program =>
        {
            var ready = new TracedEvent("ready");
            var seen = program.Shared("seen", 0);
            var value = program.Shared("value", 0);
            program.Thread("setter", () =>
            {
                value.Value = 42;
                ready.Set();
            });
            program.Thread("waiter", () =>
            {
                ready.Wait();
                seen.Value = value.Value;
            });
            program.Check(() => seen.Value == 42, "the waiter sees what was written before the set");
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
    }

    [Fact]
    public void a_lock_released_by_another_thread_works_as_a_signal_under_the_explorer()
    {
        var result = Explorer.Explore(program =>
        {
            var signal = new TracedLock("signal");
            var order = program.Shared("order", "");
            signal.Acquire();
            program.Thread("waiter", () =>
            {
                signal.Acquire();
                order.Value += "w";
            });
            program.Thread("releaser", () =>
            {
                order.Value += "r";
                signal.Release();
            });
            program.Check(() => order.Value == "rw", "the waiter goes on only after the release");
        });

        result.FoundBug.Should().BeFalse();
        result.IsExhausted.Should().BeTrue();
    }
}
