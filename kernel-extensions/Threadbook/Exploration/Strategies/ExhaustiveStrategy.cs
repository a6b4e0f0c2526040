using Threadbook.Exploration.Execution;
using Threadbook.Scheduling;

using static Threadbook.Exploration.Strategies.ScheduleChoice;

namespace Threadbook.Exploration.Strategies;

/// <summary>
/// Every schedule, depth first, by re-running the program from the start for each one (stateless model checking): the
/// search keeps the path of choices of the current schedule, and after each schedule moves the deepest choice that has
/// an untried alternative on to that alternative.
/// </summary>
/// <remarks>
/// <para><b>Reduction (sleep sets, Godefroid 1996).</b> Two steps conflict when they touch a common object and do not both
/// only read it; steps that do not conflict give the same result in either order. At each choice point, a thread whose
/// alternatives have all been explored is put to sleep in the siblings explored after it, and stays asleep down the path
/// as long as only steps that do not conflict with its pending step are taken; a sleeping thread is not chosen. So of
/// the schedules that differ only in the order of non-conflicting steps, one is run to the end; when every thread
/// that could go on is asleep, the rest of the schedule is already covered and it is dropped (counted as redundant).
/// Deadlocks and final states are all still reached. Timeouts conflict with everything.</para>
/// <para>It assumes that what a thread does between scheduling points touches nothing another thread uses.</para>
/// </remarks>
internal sealed class ExhaustiveStrategy(bool reduce) : IScheduleStrategy
{
    private readonly List<ChoicePoint> _path = [];
    private bool _started;

    public string Description => reduce ? "exhaustive (depth-first, equivalent orders tried once)" : "exhaustive (depth-first, every interleaving)";

    public bool IsExhausted { get; private set; }

    public string? Problem { get; private set; }

    public bool PrepareNextSchedule()
    {
        if (!_started)
        {
            _started = true;
            return true;
        }

        while (_path.Count > 0)
        {
            var point = _path[^1];
            point.Done |= Bit(point.Chosen);
            var untried = point.Enabled & ~point.Done & ~point.Sleep;
            if (untried != 0)
            {
                point.Chosen = Lowest(untried);
                return true;
            }

            _path.RemoveAt(_path.Count - 1);
        }

        IsExhausted = true;
        return false;
    }

    public int Choose(ScheduleExecution execution, ulong enabled, bool timeouts)
    {
        var depth = execution.StepCount;
        if (depth < _path.Count)
        {
            var known = _path[depth];
            if (known.Enabled == enabled)
            {
                return known.Chosen;
            }

            // The same choices led somewhere else: the program is not deterministic. Search on from here.
            Problem ??= $"Re-running the program with the same choices led to a different state at step {depth + 1}: the program is not " +
                        "deterministic (does it read the clock, random numbers or state from outside the program?). Some schedules may have been missed.";
            _path.RemoveRange(depth, _path.Count - depth);
        }

        var sleep = reduce && depth > 0 ? SleepAfter(_path[depth - 1]) : 0;
        var candidates = timeouts ? enabled : enabled & ~sleep;
        if (candidates == 0)
        {
            return -1;
        }

        var pending = new ScheduledOperation[execution.ThreadCount];
        for (var i = 0; i < pending.Length; i++)
        {
            pending[i] = execution.PendingOf(i);
        }

        _path.Add(new ChoicePoint(enabled, timeouts ? 0 : sleep, timeouts, pending) { Chosen = Lowest(candidates) });
        return Lowest(candidates);
    }

    public void ScheduleEnded(int steps)
    {
    }

    /// <summary>The sleep set of the child reached from <paramref name="parent"/> through its chosen thread.</summary>
    private static ulong SleepAfter(ChoicePoint parent)
    {
        if (parent.Timeouts)
        {
            return 0;
        }

        var executed = parent.Pending[parent.Chosen];
        var sleep = 0UL;
        for (var rest = (parent.Sleep | parent.Done) & ~Bit(parent.Chosen); rest != 0; rest &= rest - 1)
        {
            var thread = Lowest(rest);
            if (!parent.Pending[thread].ConflictsWith(executed))
            {
                sleep |= Bit(thread);
            }
        }

        return sleep;
    }

    /// <summary>One step of the current path: who could go, who was asleep, who has been tried, who goes now.</summary>
    private sealed class ChoicePoint(ulong enabled, ulong sleep, bool timeouts, ScheduledOperation[] pending)
    {
        public ulong Enabled { get; } = enabled;

        public ulong Sleep { get; } = sleep;

        public bool Timeouts { get; } = timeouts;

        /// <summary>Each thread's pending operation at this point (what the sleep sets compare).</summary>
        public ScheduledOperation[] Pending { get; } = pending;

        public ulong Done { get; set; }

        public int Chosen { get; set; }
    }
}
