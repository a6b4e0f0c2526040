using Threadbook.Scheduling;

namespace Threadbook.Exploration;

/// <summary>One step of a recorded schedule: which thread did what, and the state afterwards.</summary>
/// <param name="Number">1-based.</param>
/// <param name="Thread">The thread number (1-based) that took the step.</param>
/// <param name="ThreadName">Its name.</param>
/// <param name="Operation">What it did.</param>
/// <param name="ObjectName">On which shared variable or primitive.</param>
/// <param name="Detail">What it read or wrote (<c>→ 0</c>, <c>← 1</c>), <c>timed out</c>, or null.</param>
/// <param name="ValuesAfter">The state of every row of the run (<see cref="ScheduleRun.ObjectNames"/>) after the step.</param>
/// <param name="ThreadStates">Each thread's state at this step, by thread number − 1.</param>
/// <param name="BlockedOn">For each blocked thread, what it waits for; null for the others.</param>
public sealed record ScheduleStep(
    int Number,
    int Thread,
    string ThreadName,
    OperationKind Operation,
    string ObjectName,
    string? Detail,
    IReadOnlyList<string> ValuesAfter,
    IReadOnlyList<VirtualThreadState> ThreadStates,
    IReadOnlyList<string?> BlockedOn)
{
    /// <summary>What the step did, short: <c>read gl_num → 0</c>, <c>acquire lock-A</c>.</summary>
    public string Action => Detail is null
        ? $"{Verb(Operation)} {ObjectName}"
        : $"{Verb(Operation)} {ObjectName} {Detail}";

    /// <summary>The verb of an operation as steps show it.</summary>
    internal static string Verb(OperationKind operation) => operation.ToString().ToLowerInvariant();

    /// <summary><c>3. t1: write gl_num ← 1</c>.</summary>
    public override string ToString() => $"{Number}. {ThreadName}: {Action}";
}
