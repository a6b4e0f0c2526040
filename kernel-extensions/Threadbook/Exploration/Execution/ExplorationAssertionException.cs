namespace Threadbook.Exploration.Execution;

/// <summary>Thrown by <see cref="ExploredProgram.Assert"/> inside a virtual thread: the schedule fails with <see cref="BugKind.AssertionFailed"/>.</summary>
internal sealed class ExplorationAssertionException(string claim) : Exception($"assertion failed: {claim}")
{
    public string Claim { get; } = claim;
}
