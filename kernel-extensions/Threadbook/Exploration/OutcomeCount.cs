namespace Threadbook.Exploration;

/// <summary>One distinct way the explored schedules ended, and how many ended so.</summary>
/// <param name="Outcome">The final state (<c>gl_num = 1</c>) or how it ended (<c>deadlock</c>).</param>
/// <param name="Count">How many schedules ended so.</param>
/// <param name="Bug">What was wrong with it, or null when it passed every check.</param>
/// <param name="Example">The first schedule that ended so: replay it with <see cref="Explorer.Replay"/>.</param>
public sealed record OutcomeCount(string Outcome, int Count, ExplorationBug? Bug, Schedule Example)
{
    /// <summary>True when these schedules passed every check.</summary>
    public bool Passed => Bug is null;

    /// <summary><c>gl_num = 1: 2 schedules (check failed: gl_num == 2)</c>.</summary>
    public override string ToString() =>
        $"{Outcome}: {Count} schedule{(Count == 1 ? "" : "s")}{(Bug is null ? "" : $" ({Bug.Description})")}";
}
