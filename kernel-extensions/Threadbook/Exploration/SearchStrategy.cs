namespace Threadbook.Exploration;

/// <summary>How the explorer picks the schedules it tries.</summary>
public enum SearchStrategy
{
    /// <summary>
    /// Every schedule, depth first, up to <see cref="ExplorationOptions.MaxSteps"/> steps each; schedules that only swap
    /// steps that cannot affect each other (two reads, operations on different objects) are tried once (sleep sets).
    /// The result says whether the whole space was covered.
    /// </summary>
    Exhaustive,

    /// <summary>At every step a thread chosen at random among those that can go on, from <see cref="ExplorationOptions.Seed"/>.</summary>
    RandomWalk,

    /// <summary>
    /// Probabilistic concurrency testing (PCT): random thread priorities, the highest-priority thread runs, and at
    /// <see cref="ExplorationOptions.PctDepth"/> − 1 random steps the running thread drops to the lowest priority. Finds
    /// a bug that needs d ordering constraints with a probability that does not shrink with the program's length.
    /// </summary>
    Pct,
}
