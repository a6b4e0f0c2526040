using System.Diagnostics;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Pool;

/// <summary>
/// When the pool takes back the tasks waiting behind a long one. Python's workers take the next task when they are
/// free; ours are sent several short ones ahead, so when a task turns out long (<see cref="WorkerMessages.LongTask"/>)
/// while tasks wait behind it and another worker has nothing to do, the pool asks for the waiting ones back
/// (<see cref="MessageKind.Revoke"/>) and gives them to the free worker. Pure: it reads <see cref="WorkerLoad"/>s and a
/// time, and decides; <see cref="PoolRebalancer"/> acts.
/// </summary>
internal static class TakeBackRule
{
    /// <summary>A task that ran this long (Stopwatch ticks) is long.</summary>
    public static readonly long LongTaskTicks = (long)(WorkerMessages.LongTask.TotalSeconds * Stopwatch.Frequency);

    /// <summary>True when the worker can take tasks and has none.</summary>
    public static bool IsIdle(in WorkerLoad worker) => worker.Connected && !worker.ExitSent && worker.TasksSent == 0;

    /// <summary>True when tasks it has not started may wait behind another (an idle worker may yet get them).</summary>
    public static bool HoldsTasksBehind(in WorkerLoad worker) => worker.RevokeSent || worker.TasksSent >= 2;

    /// <summary>
    /// While tasks wait behind the one it runs (or is about to run: its start may not be reported yet), how long
    /// (Stopwatch ticks) before that one counts as long: zero or less when it is long already. Null when nothing waits.
    /// </summary>
    public static long? TicksUntilLong(in WorkerLoad worker, long now) =>
        worker.TasksSent < 2 ? null : worker.RunningSince is { } since ? since + LongTaskTicks - now : LongTaskTicks;

    /// <summary>Worth looking at the workers only when nothing is queued (queued tasks go to a free worker anyway) and one is idle.</summary>
    public static bool IsWorthLooking(ProcessPoolState state, int queued, bool anyWorkerIdle) =>
        state != ProcessPoolState.Terminated && queued == 0 && anyWorkerIdle;

    /// <summary>For one worker, once <see cref="IsWorthLooking"/> said yes: take its waiting tasks back now, look again later, or leave it.</summary>
    public static TakeBackStep Decide(in WorkerLoad worker, long now) =>
        worker.RevokeSent || TicksUntilLong(worker, now) is not { } untilLong ? TakeBackStep.Nothing
        : untilLong <= 0 ? TakeBackStep.Revoke
        : TakeBackStep.LookAgainIn(untilLong);

    /// <summary>
    /// True when an idle worker of a closed pool should exit: nothing is queued, and no tasks wait behind another's long
    /// task anywhere (it may get them yet).
    /// </summary>
    public static bool ShouldExit(ProcessPoolState state, int queued, bool tasksWaitBehindAnywhere, in WorkerLoad worker) =>
        state == ProcessPoolState.Closed && queued == 0 && !tasksWaitBehindAnywhere && worker.Connected && worker.TasksSent == 0 && !worker.ExitSent;
}
