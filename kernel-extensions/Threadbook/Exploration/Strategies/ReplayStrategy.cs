using Threadbook.Exploration.Execution;

using static Threadbook.Exploration.Strategies.ScheduleChoice;

namespace Threadbook.Exploration.Strategies;

/// <summary>
/// Follows a given <see cref="Schedule"/> step for step. Where the program no longer fits it (the scheduled thread
/// cannot go on, or the schedule is too short or too long) the replay notes the first such step and goes on with the
/// lowest-numbered thread that can.
/// </summary>
internal sealed class ReplayStrategy(Schedule schedule) : IScheduleStrategy
{
    private bool _used;

    public string Description => $"replay of {schedule}";

    public bool IsExhausted => _used;

    public string? Problem => null;

    /// <summary>The first step (1-based) where the program did not fit the schedule, or null.</summary>
    public int? DivergedAtStep { get; private set; }

    public bool PrepareNextSchedule()
    {
        var first = !_used;
        _used = true;
        return first;
    }

    public int Choose(ScheduleExecution execution, ulong enabled, bool timeouts)
    {
        var step = execution.StepCount;
        if (step < schedule.Length && schedule.IndexAt(step) is var scheduled && scheduled < 64 && (enabled & Bit(scheduled)) != 0)
        {
            return scheduled;
        }

        DivergedAtStep ??= step + 1;
        return Lowest(enabled);
    }

    public void ScheduleEnded(int steps)
    {
        if (steps < schedule.Length)
        {
            DivergedAtStep ??= steps + 1;
        }
    }
}
