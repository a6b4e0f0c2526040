namespace Threadbook.Exploration.Execution;

/// <summary>How one schedule's run ended.</summary>
internal enum ScheduleEnd
{
    /// <summary>Every thread finished.</summary>
    Completed,

    /// <summary>Some threads had not finished and none could go on.</summary>
    Deadlocked,

    /// <summary>It reached <see cref="ExplorationOptions.MaxSteps"/>.</summary>
    StepBound,

    /// <summary>The strategy dropped it: every way on was already covered by an equivalent schedule.</summary>
    Redundant,
}
