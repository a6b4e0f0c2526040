using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Tests.Exploration;

/// <summary>
/// Objects made outside the explored program keep their state from one schedule to the next, so the explorer refuses
/// them with a message saying where to create them, and leaves them as they were.
/// </summary>
public class ForeignObjectTests
{
    [Fact]
    public void a_lock_created_outside_the_program_is_refused_with_a_message_saying_to_create_it_inside_and_is_left_free()
    {
        var lockA = new TracedRLock("outer-A");
        var lockB = new TracedRLock("outer-B");

        var act = () => Explorer.Explore(program =>
        {
            program.Thread("t1", () => { using (lockA.Hold()) using (lockB.Hold()) { } });
            program.Thread("t2", () => { using (lockB.Hold()) using (lockA.Hold()) { } });
        });

        act.Should().Throw<InvalidOperationException>()
            .WithMessage("t1 used RLock 'outer-A', which was created outside the explored program*Create it inside the program*");
        lockA.IsHeld.Should().BeFalse("the refused acquire never took it");
        lockB.IsHeld.Should().BeFalse();
        ExplorerRunners.HookIsActive.Should().BeFalse();
    }

    [Fact]
    public void an_event_created_outside_the_program_is_refused_too()
    {
        var go = new TracedEvent("outer go");

        var act = () => Explorer.Explore(program =>
        {
            program.Thread("setter", go.Set);
            program.Thread("waiter", () => go.Wait());
        });

        act.Should().Throw<InvalidOperationException>().WithMessage("* used Event 'outer go', which was created outside*");
        go.IsSet.Should().BeFalse("the refused set never happened");
    }

    [Fact]
    public void a_condition_created_outside_the_program_is_refused_too()
    {
        var ready = new TracedCondition(name: "outer ready");

        var act = () => Explorer.Explore(program => program.Thread("notifier", () => ready.Notify()));

        act.Should().Throw<InvalidOperationException>().WithMessage("notifier used Condition 'outer ready', which was created outside*");
    }

    [Fact]
    public void a_semaphore_created_outside_the_program_is_refused_too()
    {
        var slots = new TracedSemaphore(1, name: "outer slots");

        var act = () => Explorer.Explore(program => program.Thread("t1", () => slots.Acquire()));

        act.Should().Throw<InvalidOperationException>().WithMessage("t1 used Semaphore 'outer slots', which was created outside*");
        slots.CurrentCount.Should().Be(1, "the refused acquire never took a slot");
    }

    [Fact]
    public void a_shared_variable_kept_from_an_earlier_exploration_is_refused()
    {
        SharedVariable<int>? kept = null;
        Explorer.Explore(program =>
        {
            kept = program.Shared("counter", 0);
            program.Thread("t1", () => kept.Value += 1);
        });

        var act = () => Explorer.Explore(program => program.Thread("t1", () => kept!.Value += 1));

        act.Should().Throw<InvalidOperationException>().WithMessage("t1 used shared 'counter', which was created outside*");
    }

    [Fact]
    public void primitives_created_inside_a_thread_are_the_programs_own()
    {
        var result = Explorer.Explore(program =>
        {
            var counter = program.Shared("counter", 0);
            program.Thread("t1", () =>
            {
                var local = new TracedRLock("made by t1");
                using (local.Hold())
                {
                    counter.Value += 1;
                }
            });
            program.Thread("t2", () => counter.Value += 1);
        });

        result.Problem.Should().BeNull();
        result.IsExhausted.Should().BeTrue();
        result.Outcomes.Select(outcome => outcome.Outcome).Should().BeEquivalentTo(["counter = 1", "counter = 2"], "a lock only t1 takes protects nothing");
    }
}
