using Threadbook.Threading;

namespace Threadbook.Exploration;

/// <summary>What went wrong in one failing schedule.</summary>
/// <param name="Kind">Assertion, deadlock or exception.</param>
/// <param name="Description">One line: <c>check failed: gl_num == 2</c>, <c>deadlock: t1 holds lock-A and waits for lock-B, …</c>.</param>
public sealed record ExplorationBug(BugKind Kind, string Description)
{
    /// <summary>The thread that failed (its exception or assertion), or null.</summary>
    public string? ThreadName { get; init; }

    /// <summary>The exception a virtual thread threw (or the check threw), or null.</summary>
    public Exception? Exception { get; init; }

    /// <summary>For a deadlock: the wait-for cycle, each thread holding what the previous one waits for (empty when the waits form no cycle).</summary>
    public IReadOnlyList<DeadlockStep> Cycle { get; init; } = [];

    /// <summary>For a deadlock: what each stuck thread waits for (<c>t1 waits for lock-B</c>), cycle or not.</summary>
    public IReadOnlyList<string> Waits { get; init; } = [];

    /// <summary>The failed claim, for an assertion.</summary>
    public string? Claim { get; init; }

    /// <inheritdoc />
    public override string ToString() => Description;
}
