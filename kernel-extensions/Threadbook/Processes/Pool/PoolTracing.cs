using System.Diagnostics;
using Threadbook.Tracing;

namespace Threadbook.Processes.Pool;

/// <summary>
/// What a pool records while a <see cref="TraceRecorder"/> records: each submission (a mark on the submitting thread),
/// each worker's start and end, and each task as a span on its worker's lane (timed by the worker itself). Callbacks are
/// spans on the result-handler thread (<see cref="PoolResults"/>). Each call costs a null check when nothing records.
/// </summary>
internal static class PoolTracing
{
    public static void Submitted(PoolTask task)
    {
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Mark($"submit {task.Call}");
        }
    }

    public static void WorkerStarted(PoolWorkerRecord worker) =>
        TraceRecorder.RecordInLane(worker.Lane, Stopwatch.GetTimestamp(), TraceEventKind.ThreadStarted, worker.Lane.Name);

    public static void TaskBegan(PoolWorkerRecord worker, PoolTask task, long timestamp)
    {
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.RecordInLane(worker.Lane, timestamp, TraceEventKind.SpanBegan, task.Call);
        }
    }

    public static void TaskEnded(PoolWorkerRecord worker, long timestamp)
    {
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.RecordInLane(worker.Lane, timestamp, TraceEventKind.SpanEnded);
        }
    }

    /// <summary>The worker ended; <paramref name="lostTask"/> says it died in the middle of a task, whose span ends here too.</summary>
    public static void WorkerEnded(PoolWorkerRecord worker, bool lostTask)
    {
        if (TraceRecorder.Active is not null)
        {
            var now = Stopwatch.GetTimestamp();
            if (lostTask)
            {
                TraceRecorder.RecordInLane(worker.Lane, now, TraceEventKind.SpanEnded);
            }

            TraceRecorder.RecordInLane(worker.Lane, now, TraceEventKind.ThreadStopped);
        }
    }
}
