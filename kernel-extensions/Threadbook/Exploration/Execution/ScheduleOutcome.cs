namespace Threadbook.Exploration.Execution;

/// <summary>What one run of a schedule came to: how it ended, the outcome label and the bug, if any.</summary>
internal sealed record ScheduleOutcome(Schedule Schedule, ScheduleEnd End, string Outcome, ExplorationBug? Bug);
