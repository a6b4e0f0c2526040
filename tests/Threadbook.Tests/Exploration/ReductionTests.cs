using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Tests.Exploration;

/// <summary>
/// The exhaustive search's reduction (sleep sets) skips schedules that only reorder steps which cannot affect each
/// other. It must never skip an outcome: on each of these programs it reaches exactly the outcomes (final states,
/// deadlocks, failures) that trying every interleaving reaches, in fewer schedules.
/// </summary>
public class ReductionTests
{
    public static TheoryData<string> ProgramNames() => new(Catalogue.Keys);

    private static readonly Dictionary<string, Action<ExploredProgram>> Catalogue = new()
    {
        ["three racing counters"] = program =>
        {
            var counter = program.Shared("counter", 0);
            for (var i = 0; i < 3; i++)
            {
                program.Thread(() => counter.Value += 1);
            }
        },
        ["two variables, one shared"] = program =>
        {
            var x = program.Shared("x", 0);
            var y = program.Shared("y", 0);
            var z = program.Shared("z", 0);
            program.Thread("a", () => { x.Value = 1; z.Value += 1; });
            program.Thread("b", () => { y.Value = 1; z.Value += 10; });
            program.Thread("c", () => { z.Value = x.Value + y.Value; });
        },
        ["opposite-order locks"] = Programs.OppositeOrderLocks,
        ["a lock around half the work"] = program =>
        {
            var balance = program.Shared("balance", 100);
            var gate = new TracedRLock("gate");
            foreach (var name in new[] { "alice", "bob" })
            {
                program.Thread(name, () =>
                {
                    if (balance.Value >= 70)
                    {
                        using (gate.Hold())
                        {
                            balance.Value -= 70;
                        }
                    }
                });
            }
        },
        ["an event set, cleared and waited for"] = program =>
        {
            var ready = new TracedEvent("ready");
            var seen = program.Shared("seen", 0);
            program.Thread("setter", () => { ready.Set(); ready.Clear(); ready.Set(); });
            program.Thread("waiter", () => { ready.Wait(); seen.Value += 1; });
            program.Thread("clearer", () => ready.Clear());
        },
        ["a condition without a loop"] = program =>
        {
            var condition = new TracedCondition(name: "go");
            var woken = program.Shared("woken", 0);
            program.Thread("waiter", () =>
            {
                using (condition.Hold())
                {
                    condition.Wait();
                    woken.Value += 1;
                }
            });
            program.Thread("notifier", () =>
            {
                using (condition.Hold())
                {
                    condition.Notify();
                }
            });
        },
        ["a semaphore of two and three threads"] = program =>
        {
            var semaphore = new TracedSemaphore(2, name: "slots");
            var state = program.Shared("inside, peak", (Inside: 0, Peak: 0));
            for (var i = 0; i < 3; i++)
            {
                program.Thread(() =>
                {
                    using (semaphore.Hold())
                    {
                        state.Update(now => (now.Inside + 1, Math.Max(now.Peak, now.Inside + 1)));
                        state.Update(now => (now.Inside - 1, now.Peak));
                    }
                });
            }

            program.Outcome(() => $"peak {state.Value.Peak}");
        },
    };

    [Theory]
    [MemberData(nameof(ProgramNames))]
    public void reduction_reaches_every_outcome_that_trying_every_interleaving_reaches(string name)
    {
        var options = new ExplorationOptions { MaxSchedules = 100_000, TimeLimit = TimeSpan.FromMinutes(2) };

        var full = Explorer.Explore(Catalogue[name], options with { Reduction = false });
        var reduced = Explorer.Explore(Catalogue[name], options);

        full.IsExhausted.Should().BeTrue();
        reduced.IsExhausted.Should().BeTrue();
        full.Problem.Should().BeNull();
        reduced.Problem.Should().BeNull();
        reduced.Outcomes.Select(outcome => outcome.Outcome).Should().BeEquivalentTo(full.Outcomes.Select(outcome => outcome.Outcome));
        reduced.SchedulesExplored.Should().BeLessThanOrEqualTo(full.SchedulesExplored);
    }

    [Fact]
    public void reduction_runs_fewer_schedules_when_threads_mostly_touch_different_variables()
    {
        var full = Explorer.Explore(Catalogue["two variables, one shared"], new ExplorationOptions { Reduction = false });
        var reduced = Explorer.Explore(Catalogue["two variables, one shared"]);

        reduced.SchedulesExplored.Should().BeLessThan(full.SchedulesExplored / 2,
            $"steps on x and on y commute, so most of the {full.SchedulesExplored} interleavings are equivalent");
    }
}
