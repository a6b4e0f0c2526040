namespace Threadbook.Exploration;

/// <summary>How <see cref="Explorer.Explore"/> searches, and when it stops.</summary>
public sealed record ExplorationOptions
{
    /// <summary>The options used when none are given.</summary>
    public static ExplorationOptions Default { get; } = new();

    /// <summary>How schedules are chosen (default <see cref="SearchStrategy.Exhaustive"/>).</summary>
    public SearchStrategy Strategy { get; init; } = SearchStrategy.Exhaustive;

    /// <summary>The most schedules to run (default 10,000).</summary>
    public int MaxSchedules { get; init; } = 10_000;

    /// <summary>The most steps one schedule may take; longer schedules are cut there and counted (default 500).</summary>
    public int MaxSteps { get; init; } = 500;

    /// <summary>The seed of <see cref="SearchStrategy.RandomWalk"/> and <see cref="SearchStrategy.Pct"/>: the same seed explores the same schedules.</summary>
    public int Seed { get; init; }

    /// <summary>PCT's bug depth d: how many ordering constraints the bugs it aims at need (d − 1 priority change points; default 3).</summary>
    public int PctDepth { get; init; } = 3;

    /// <summary>
    /// With <see cref="SearchStrategy.Exhaustive"/>: try once each group of schedules that differ only in the order of
    /// steps that cannot affect each other (default true). False tries every interleaving.
    /// </summary>
    public bool Reduction { get; init; } = true;

    /// <summary>Stop at the first failing schedule instead of counting every outcome (default false).</summary>
    public bool StopAtFirstBug { get; init; }

    /// <summary>The longest the whole exploration may take; it stops there and says so (default 10 s).</summary>
    public TimeSpan TimeLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest one schedule may take before the explorer gives up on the program: a virtual thread that long without
    /// reaching a scheduling point is stuck in code the explorer does not control (default 10 s).
    /// </summary>
    public TimeSpan ScheduleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Keep what the program's threads and its setup write to <see cref="Console.Out"/> and <see cref="Console.Error"/>
    /// per schedule instead of printing it (default true): nothing of it reaches the console, and the first failing
    /// schedule (<see cref="ScheduleRun.Output"/>) and a replay show what that schedule printed. Output of every other
    /// thread passes through. False prints everything as it is written, once per schedule run.
    /// </summary>
    public bool CaptureOutput { get; init; } = true;

    /// <summary>Stops the exploration between schedules.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a value out of range.</summary>
    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSchedules, 1, nameof(MaxSchedules));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxSteps, 1, nameof(MaxSteps));
        ArgumentOutOfRangeException.ThrowIfLessThan(PctDepth, 1, nameof(PctDepth));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TimeLimit, TimeSpan.Zero, nameof(TimeLimit));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ScheduleTimeout, TimeSpan.Zero, nameof(ScheduleTimeout));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ScheduleTimeout, TimeSpan.FromMilliseconds(int.MaxValue), nameof(ScheduleTimeout));
        if (!Enum.IsDefined(Strategy))
        {
            throw new ArgumentOutOfRangeException(nameof(Strategy), Strategy, "Not a search strategy.");
        }
    }
}
