using Threadbook.Exploration.Execution;

using static Threadbook.Exploration.Strategies.ScheduleChoice;

namespace Threadbook.Exploration.Strategies;

/// <summary>At every step, one of the threads that can go on, chosen uniformly from a seeded generator: the same seed and program give the same schedules.</summary>
internal sealed class RandomWalkStrategy(int seed) : IScheduleStrategy
{
    private readonly Random _random = new(seed);

    public string Description => $"random walk, seed {seed}";

    public bool IsExhausted => false;

    public string? Problem => null;

    public bool PrepareNextSchedule() => true;

    public int Choose(ScheduleExecution execution, ulong enabled, bool timeouts) => Nth(enabled, _random.Next(Count(enabled)));

    public void ScheduleEnded(int steps)
    {
    }
}
