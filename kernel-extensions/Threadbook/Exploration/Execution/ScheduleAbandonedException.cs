namespace Threadbook.Exploration.Execution;

/// <summary>
/// Thrown at a virtual thread's scheduling point when its schedule has ended without it (a deadlock, the step bound, a
/// redundant schedule): it unwinds the thread's code, running its <c>finally</c> blocks, so its runner can be reused.
/// </summary>
internal sealed class ScheduleAbandonedException() : Exception("The explorer ended this schedule; the virtual thread unwinds.");
