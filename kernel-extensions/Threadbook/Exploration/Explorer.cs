using System.Diagnostics;
using System.Globalization;
using Threadbook.Exploration.Execution;
using Threadbook.Exploration.Strategies;

namespace Threadbook.Exploration;

/// <summary>
/// Systematic interleaving exploration for small concurrent programs written in memory (a notebook cell, a test, a
/// console program): it runs the program again and again, each time along another interleaving of its threads' steps,
/// checks the final state, and reports every outcome, deadlocks and exceptions, with the exact failing schedule, which
/// <see cref="Replay"/> runs again step for step.
/// <code>
/// var result = Explorer.Explore(program =>
/// {
///     var glNum = program.Shared("gl_num", 0);
///     program.Thread("t1", () => glNum.Value += 1);
///     program.Thread("t2", () => glNum.Value += 1);
///     program.Check(() => glNum.Value == 2, "gl_num == 2");
/// });
/// // result.FirstBug: t1 reads 0, t2 reads 0, t1 writes 1, t2 writes 1 — a lost update.
/// </code>
/// </summary>
/// <remarks>
/// <para><b>How threads are controlled.</b> Each of the program's threads is a virtual thread, run on one of a few OS
/// threads the exploration starts once and reuses for every schedule. Only one runs at a time. Every read and write of a
/// <see cref="SharedVariable{T}"/> and every operation of Threadbook's traced primitives (acquire, release, wait, set,
/// clear, notify) first reaches a scheduling point, where the running thread asks the strategy who takes the next step
/// and hands over its turn. A wait that cannot be satisfied does not block its OS thread: the thread is simply not
/// offered to the strategy until it could go on. Outside an exploration those operations cost one static read more.</para>
/// <para><b>What it assumes.</b> The program is deterministic given the schedule, and its threads share state only
/// through shared variables and traced primitives; everything else a thread does between scheduling points is treated
/// as private. A thread must not block on anything else (a plain <c>lock</c>, <c>Thread.Sleep</c>, <c>Join</c>):
/// after <see cref="ExplorationOptions.ScheduleTimeout"/> the explorer gives up with a <see cref="TimeoutException"/>.</para>
/// <para><b>What the program prints.</b> What its threads and its setup write to the console is kept per schedule, not
/// printed once for every schedule run; the first failing schedule and a replay show theirs
/// (<see cref="ScheduleRun.Output"/>). Other threads' output reaches the console as always, and the console's writers
/// are put back when the exploration ends (<see cref="ExplorationOptions.CaptureOutput"/> turns this off).</para>
/// </remarks>
public static class Explorer
{
    /// <summary>Explores the schedules of the program <paramref name="program"/> builds (it runs again for every schedule).</summary>
    /// <exception cref="ArgumentException">The program has no threads, too many, or two with the same name.</exception>
    /// <exception cref="TimeoutException">A virtual thread ran for <see cref="ExplorationOptions.ScheduleTimeout"/> without reaching a scheduling point.</exception>
    public static ExplorationResult Explore(Action<ExploredProgram> program, ExplorationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        options ??= ExplorationOptions.Default;
        options.Validate();
        IScheduleStrategy strategy = options.Strategy switch
        {
            SearchStrategy.RandomWalk => new RandomWalkStrategy(options.Seed),
            SearchStrategy.Pct => new PctStrategy(options.Seed, options.PctDepth),
            _ => new ExhaustiveStrategy(options.Reduction),
        };

        var tally = new OutcomeTally();
        int explored = 0, redundant = 0, cut = 0;
        ScheduleOutcome? firstBug = null;
        int? schedulesToFirstBug = null;
        TimeSpan? timeToFirstBug = null;
        string? stoppedBecause = null;
        var stopwatch = Stopwatch.StartNew();
        using var session = new ExplorationSession(program, options);

        // Called after every schedule, on the runner that ended it (one at a time); returns whether to go on.
        bool OnSchedule(ScheduleOutcome outcome, ScheduleExecution execution)
        {
            if (outcome.End == ScheduleEnd.Redundant)
            {
                redundant++;
            }
            else
            {
                explored++;
                cut += outcome.End == ScheduleEnd.StepBound ? 1 : 0;
                tally.Add(outcome);
                if (outcome.Bug is not null && firstBug is null)
                {
                    (firstBug, schedulesToFirstBug, timeToFirstBug) = (outcome, explored, stopwatch.Elapsed);
                    if (options.StopAtFirstBug)
                    {
                        stoppedBecause = "the first bug";
                        return false;
                    }
                }
            }

            stoppedBecause = explored >= options.MaxSchedules ? $"the limit of {options.MaxSchedules.ToString("N0", CultureInfo.InvariantCulture)} schedules"
                : stopwatch.Elapsed >= options.TimeLimit ? $"the time limit of {options.TimeLimit.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s"
                : options.CancellationToken.IsCancellationRequested ? "cancellation"
                : null;
            return stoppedBecause is null;
        }

        session.Run(strategy, record: false, OnSchedule);
        var elapsed = stopwatch.Elapsed;
        var problem = strategy.Problem;
        ScheduleRun? recorded = null;
        if (firstBug is not null)
        {
            recorded = Record(session, firstBug.Schedule);
            if (recorded.Outcome != firstBug.Outcome || recorded.Bug?.Description != firstBug.Bug?.Description)
            {
                problem ??= $"Replaying the failing schedule {firstBug.Schedule} ended differently ({recorded.Outcome}) than when it was found ({firstBug.Outcome}): the program is not deterministic.";
            }
        }

        return new ExplorationResult(
            strategy.Description,
            explored,
            strategy.IsExhausted && cut == 0 && stoppedBecause is null,
            redundant,
            cut,
            tally.ToList(),
            recorded,
            schedulesToFirstBug,
            timeToFirstBug,
            elapsed,
            stoppedBecause,
            problem);
    }

    /// <summary>
    /// Runs the program along <paramref name="schedule"/> (from <see cref="ScheduleRun.Schedule"/> or
    /// <see cref="OutcomeCount.Example"/>) and records every step: the same schedule gives the same steps, values and
    /// outcome every time. If the program no longer fits the schedule, <see cref="ScheduleRun.DivergedAtStep"/> says where.
    /// </summary>
    public static ScheduleRun Replay(Action<ExploredProgram> program, Schedule schedule, ExplorationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(schedule);
        options ??= ExplorationOptions.Default;
        options.Validate();
        using var session = new ExplorationSession(program, options);
        return Record(session, schedule);
    }

    private static ScheduleRun Record(ExplorationSession session, Schedule schedule)
    {
        var replay = new ReplayStrategy(schedule);
        ScheduleRun? run = null;
        session.Run(replay, record: true, (outcome, execution) =>
        {
            run = ScheduleRun.From(outcome, execution, replay.DivergedAtStep);
            return false;
        });
        return run ?? throw new InvalidOperationException($"The replay of schedule {schedule} did not run.");
    }
}
