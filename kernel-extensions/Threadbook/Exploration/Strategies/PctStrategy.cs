using Threadbook.Exploration.Execution;

using static Threadbook.Exploration.Strategies.ScheduleChoice;

namespace Threadbook.Exploration.Strategies;

/// <summary>
/// PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte 2010): each schedule gives the threads distinct random priorities
/// (all at least <c>depth</c>) and picks <c>depth − 1</c> random change points among the steps; the highest-priority
/// thread that can go on runs, and at the i-th change point the thread about to run drops to priority
/// <c>depth − 1 − i</c>, below every initial one. A bug that needs d ordering constraints is found in each schedule with
/// probability at least 1/(n·k^(d−1)) for n threads and k steps. Seeded: the same seed gives the same schedules.
/// </summary>
internal sealed class PctStrategy(int seed, int depth) : IScheduleStrategy
{
    // Before any schedule has run, the length the change points are drawn from.
    private const int InitialLengthGuess = 16;

    private readonly Random _random = new(seed);
    private int[] _priorities = [];
    private int[] _changePoints = [];
    private bool _prepared;
    private int _longestSchedule = InitialLengthGuess;

    public string Description => $"PCT, depth {depth}, seed {seed}";

    public bool IsExhausted => false;

    public string? Problem => null;

    public bool PrepareNextSchedule()
    {
        _prepared = false;
        return true;
    }

    public int Choose(ScheduleExecution execution, ulong enabled, bool timeouts)
    {
        if (!_prepared)
        {
            Prepare(execution.ThreadCount);
        }

        var step = execution.StepCount + 1;
        var chosen = Highest(enabled);
        var point = Array.IndexOf(_changePoints, step);
        if (point >= 0)
        {
            _priorities[chosen] = depth - 1 - point;
            chosen = Highest(enabled);
        }

        return chosen;
    }

    public void ScheduleEnded(int steps) => _longestSchedule = Math.Max(_longestSchedule, steps);

    private void Prepare(int threads)
    {
        _priorities = Enumerable.Range(depth, threads).ToArray();
        _random.Shuffle(_priorities);
        var points = new HashSet<int>();
        var possible = Math.Min(depth - 1, _longestSchedule);
        while (points.Count < possible)
        {
            points.Add(_random.Next(1, _longestSchedule + 1));
        }

        _changePoints = [.. points.Order()];
        _prepared = true;
    }

    private int Highest(ulong enabled)
    {
        var best = -1;
        for (var rest = enabled; rest != 0; rest &= rest - 1)
        {
            var thread = Lowest(rest);
            if (best < 0 || _priorities[thread] > _priorities[best])
            {
                best = thread;
            }
        }

        return best;
    }
}
