namespace Threadbook.Exploration.Execution;

/// <summary>Chooses, at every step of every schedule, which thread goes next.</summary>
internal interface IScheduleStrategy
{
    /// <summary>For the result: <c>exhaustive (depth-first, sleep sets)</c>, <c>random walk, seed 7</c>.</summary>
    string Description { get; }

    /// <summary>True once every schedule has been explored (only an exhaustive search can tell).</summary>
    bool IsExhausted { get; }

    /// <summary>A problem the strategy noticed (a program that does not behave the same when re-run), or null.</summary>
    string? Problem { get; }

    /// <summary>Gets ready for the next schedule; false when there is none left.</summary>
    bool PrepareNextSchedule();

    /// <summary>
    /// The thread (0-based index, its bit set in <paramref name="enabled"/>) that takes step
    /// <see cref="ScheduleExecution.StepCount"/>, or -1 to drop the schedule as redundant. When
    /// <paramref name="timeouts"/> is true no thread can go on, and the chosen one's wait times out.
    /// </summary>
    int Choose(ScheduleExecution execution, ulong enabled, bool timeouts);

    /// <summary>Called after each schedule with the number of steps it took.</summary>
    void ScheduleEnded(int steps);
}
