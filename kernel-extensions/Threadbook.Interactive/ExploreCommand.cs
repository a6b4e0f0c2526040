namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!explore</c>; its properties are bound from the magic's options.</summary>
public sealed class ExploreCommand : MagicCommand
{
    /// <summary><c>--strategy</c>: <c>exhaustive</c> (default), <c>random</c> or <c>pct</c>.</summary>
    public string? Strategy { get; set; }

    /// <summary><c>--schedules</c>: the most schedules to run.</summary>
    public int? Schedules { get; set; }

    /// <summary><c>--max-steps</c>: the most steps one schedule may take.</summary>
    public int? MaxSteps { get; set; }

    /// <summary><c>--seed</c>: the seed of the random and PCT strategies.</summary>
    public int? Seed { get; set; }

    /// <summary><c>--depth</c>: PCT's bug depth.</summary>
    public int? Depth { get; set; }

    /// <summary><c>--stop-at-first-bug</c>: stop at the first failing schedule.</summary>
    public bool StopAtFirstBug { get; set; }

    /// <summary><c>--out</c>: the variable that receives the <c>ExplorationResult</c> (default <c>exploration</c>).</summary>
    public string? Out { get; set; }
}
