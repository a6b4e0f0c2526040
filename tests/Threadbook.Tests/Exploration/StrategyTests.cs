using Threadbook.Exploration;

namespace Threadbook.Tests.Exploration;

public class StrategyTests
{
    /// <summary>Three threads, each incrementing twice without a lock: many schedules, several outcomes.</summary>
    private static void ThreeRacingThreads(ExploredProgram program)
    {
        var counter = program.Shared("counter", 0);
        for (var i = 0; i < 3; i++)
        {
            program.Thread(() =>
            {
                counter.Value += 1;
                counter.Value += 1;
            });
        }

        program.Check(() => counter.Value == 6, "counter == 6");
    }

    [Theory]
    [InlineData(SearchStrategy.RandomWalk)]
    [InlineData(SearchStrategy.Pct)]
    public void a_seeded_strategy_explores_the_same_schedules_with_the_same_seed(SearchStrategy strategy)
    {
        var options = new ExplorationOptions { Strategy = strategy, Seed = 7, MaxSchedules = 200 };

        var first = Explorer.Explore(ThreeRacingThreads, options);
        var second = Explorer.Explore(ThreeRacingThreads, options);

        first.SchedulesExplored.Should().Be(200);
        Describe(second).Should().Equal(Describe(first));
        second.FirstBug!.Schedule.Should().Be(first.FirstBug!.Schedule);
        second.SchedulesToFirstBug.Should().Be(first.SchedulesToFirstBug);
        first.IsExhausted.Should().BeFalse("a random search never knows it has seen everything");
    }

    [Theory]
    [InlineData(SearchStrategy.RandomWalk)]
    [InlineData(SearchStrategy.Pct)]
    public void another_seed_explores_other_schedules(SearchStrategy strategy)
    {
        var seven = Explorer.Explore(ThreeRacingThreads, new ExplorationOptions { Strategy = strategy, Seed = 7, MaxSchedules = 200 });
        var eight = Explorer.Explore(ThreeRacingThreads, new ExplorationOptions { Strategy = strategy, Seed = 8, MaxSchedules = 200 });

        Describe(eight).Should().NotEqual(Describe(seven));
    }

    [Theory]
    [InlineData(SearchStrategy.RandomWalk)]
    [InlineData(SearchStrategy.Pct)]
    public void the_seeded_strategies_find_the_lost_update_and_the_deadlock(SearchStrategy strategy)
    {
        var options = new ExplorationOptions { Strategy = strategy, Seed = 1, MaxSchedules = 500 };

        Explorer.Explore(Programs.UnlockedCounter, options).FirstBug!.Outcome.Should().Be("gl_num = 1");
        Explorer.Explore(Programs.OppositeOrderLocks, options).FirstBug!.Bug!.Kind.Should().Be(BugKind.Deadlock);
    }

    [Fact]
    public void the_result_names_the_strategy_and_its_seed()
    {
        Explorer.Explore(Programs.UnlockedCounter, new ExplorationOptions { Strategy = SearchStrategy.RandomWalk, Seed = 3, MaxSchedules = 5 })
            .Strategy.Should().Be("random walk, seed 3");
        Explorer.Explore(Programs.UnlockedCounter, new ExplorationOptions { Strategy = SearchStrategy.Pct, Seed = 3, PctDepth = 2, MaxSchedules = 5 })
            .Strategy.Should().Be("PCT, depth 2, seed 3");
    }

    private static IEnumerable<string> Describe(ExplorationResult result) =>
        result.Outcomes.Select(outcome => $"{outcome.Outcome}×{outcome.Count} first {outcome.Example}");
}
