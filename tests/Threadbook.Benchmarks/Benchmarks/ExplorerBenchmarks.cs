using BenchmarkDotNet.Attributes;
using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Benchmarks;

/// <summary>
/// The interleaving explorer on the programs notebook 12 explores: how many schedules it runs per second, how long
/// it takes to exhaust the notes' two-thread counter, and how long to find its lost update. Every call is a whole
/// exploration, so the times include starting and joining its runner threads (once per exploration) and, for the
/// exhaustive rows, recording the failing schedule's replay — what a learner waits for. There is no CPython
/// counterpart (CPython has no such explorer; running the notes' race in it repeatedly practically never shows the
/// bug), so these rows go to the <c>explore</c> report, not the comparison table.
/// </summary>
public class ExplorerBenchmarks
{
    /// <summary>Schedules a throughput row runs in one call (the result is per schedule).</summary>
    public const int SchedulesPerCall = 2_000;

    private static readonly ExplorationOptions RandomSchedules = new()
    {
        Strategy = SearchStrategy.RandomWalk,
        Seed = 1,
        MaxSchedules = SchedulesPerCall,
        TimeLimit = TimeSpan.FromMinutes(1),
    };

    private static readonly ExplorationOptions UntilTheFirstBug = new() { StopAtFirstBug = true };

    /// <summary>The notes' race: two threads each do <c>gl_num += 1</c> (a read, then a write) with no lock.</summary>
    public static void TwoThreadCounter(ExploredProgram program)
    {
        var glNum = program.Shared("gl_num", 0);
        program.Thread("t1", () => glNum.Value += 1);
        program.Thread("t2", () => glNum.Value += 1);
        program.Check(() => glNum.Value == 2, "gl_num == 2");
    }

    /// <summary>Three threads each incrementing under one <see cref="TracedRLock"/>: 12 steps a schedule.</summary>
    public static void ThreeThreadsWithALock(ExploredProgram program)
    {
        var glNum = program.Shared("gl_num", 0);
        var rlock = new TracedRLock("lock");
        for (var i = 0; i < 3; i++)
        {
            program.Thread(() =>
            {
                using (rlock.Hold())
                {
                    glNum.Value += 1;
                }
            });
        }

        program.Check(() => glNum.Value == 3, "gl_num == 3");
    }

    /// <summary>Per schedule of the two-thread counter, chosen by a seeded random walk (so every schedule runs to its end).</summary>
    [Benchmark(OperationsPerInvoke = SchedulesPerCall)]
    public int TwoThreadCounterSchedule() => Explore(TwoThreadCounter, RandomSchedules, SchedulesPerCall).SchedulesExplored;

    /// <summary>Per schedule of three threads taking one lock, chosen by a seeded random walk.</summary>
    [Benchmark(OperationsPerInvoke = SchedulesPerCall)]
    public int ThreeThreadsWithALockSchedule() => Explore(ThreeThreadsWithALock, RandomSchedules, SchedulesPerCall).SchedulesExplored;

    /// <summary>Every schedule of the two-thread counter (4 with reduction), its outcomes, and the failing one recorded.</summary>
    [Benchmark]
    public int ExhaustTwoThreadCounter()
    {
        var result = Explorer.Explore(TwoThreadCounter);
        return result.IsExhausted && result.FoundBug ? result.SchedulesExplored : throw new InvalidOperationException($"Expected the lost update and every schedule: {result.Headline}");
    }

    /// <summary>From the call to the lost update found, replayed and recorded (stops at the first failing schedule).</summary>
    [Benchmark]
    public int FindTheNotesRace()
    {
        var result = Explorer.Explore(TwoThreadCounter, UntilTheFirstBug);
        return result.FirstBug?.Outcome == "gl_num = 1" ? result.SchedulesExplored : throw new InvalidOperationException($"Expected the lost update: {result.Headline}");
    }

    private static ExplorationResult Explore(Action<ExploredProgram> program, ExplorationOptions options, int expected)
    {
        var result = Explorer.Explore(program, options);
        return result.SchedulesExplored == expected
            ? result
            : throw new InvalidOperationException($"Expected {expected} schedules, got {result.SchedulesExplored}: {result.Headline}");
    }
}
