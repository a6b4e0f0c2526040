using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;

namespace Threadbook.Processes.Pool;

/// <summary>
/// Keeps a pool's workers: starts them (taking warm spares from <see cref="WarmWorkers"/> when there are some), waits
/// for each to connect, replaces one that dies (its unstarted tasks go back to the front of the queue, the one it ran
/// fails with <see cref="WorkerDiedException"/>), and gives up when workers fail to start
/// <see cref="StartFailuresTolerated"/> times in a row. Each worker has a reader thread (<see cref="PoolWorkerReader"/>).
/// </summary>
internal sealed class PoolSupervisor(ProcessPool pool, PoolDispatcher dispatcher, PoolResults results, ExecutionContext? createdIn, PoolInitializer? initializer)
{
    // A view keeps the ended workers' rows: at least one per worker the pool keeps, so a joined pool shows them all.
    private const int EndedWorkersKeptAtLeast = 4;
    private const int StartFailuresTolerated = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);
    private int _lastWorkerNumber;
    private int _startFailures;
    private int _initializerFailures;

    /// <summary>Starts one more worker and its reader thread (under the pool's lock).</summary>
    public void AddWorkerLocked()
    {
        var worker = new PoolWorkerRecord(WarmWorkers.Take(), ++_lastWorkerNumber) { OutputContext = createdIn };
        worker.Process.SetOutput(line => ProcessOutput.Deliver(pool.Output, line, worker.OutputContext));
        dispatcher.Workers.Add(worker);
        worker.Process.RunReader(() => Serve(worker), $"threadbook pool worker {worker.Pid} reader");
    }

    /// <summary>The worker's reader thread: waits for it to connect, then reads what it reports until it ends.</summary>
    private void Serve(PoolWorkerRecord worker)
    {
        FrameConnection connection;
        try
        {
            connection = worker.Process.WaitConnected(ConnectTimeout);
        }
        catch (Exception e)
        {
            FailedToStart(worker, e);
            return;
        }

        lock (dispatcher.Gate)
        {
            worker.Connection = connection;
            worker.State = PoolWorkerState.Idle;
            _startFailures = 0;
            if (dispatcher.State == ProcessPoolState.Terminated)
            {
                worker.Process.Kill();
            }
            else if (initializer is not null)
            {
                // Python runs the initializer in each worker before it takes a task: it goes first, alone (the worker's
                // window is one task until it has run tasks).
                var task = initializer.NewTask(dispatcher.NextTaskIdLocked(), createdIn);
                worker.Defined.Add(task.Function);
                WorkerMessages.WriteDefine(worker.Outgoing, task.Function);
                WorkerMessages.WriteRun(worker.Outgoing, task.Id, task.Function, task.ArgumentsJson, exitAfter: false);
                worker.Sent.Enqueue(task);
            }

            dispatcher.DispatchLocked();
        }

        PoolTracing.WorkerStarted(worker);
        pool.RaiseChanged();
        new PoolWorkerReader(pool, dispatcher, results, this).Read(worker, connection);
        Ended(worker);
    }

    private void FailedToStart(PoolWorkerRecord worker, Exception error)
    {
        List<PoolTask> doomed = [];
        lock (dispatcher.Gate)
        {
            dispatcher.Workers.Remove(worker);
            worker.State = PoolWorkerState.Died;
            if (dispatcher.State != ProcessPoolState.Terminated)
            {
                if (++_startFailures >= StartFailuresTolerated)
                {
                    dispatcher.Broken = error;
                    doomed.AddRange(dispatcher.Queue);
                    dispatcher.Queue.Clear();
                }
                else if (NeedsWorkersLocked())
                {
                    AddWorkerLocked();
                }
            }

            dispatcher.CheckFinishedLocked();
        }

        foreach (var task in doomed)
        {
            results.Fail(task, new WorkerStartException($"The pool cannot run {task.Call}: its workers do not start. {error.Message}"));
        }

        pool.RaiseChanged();
    }

    private void Ended(PoolWorkerRecord worker)
    {
        if (!worker.Process.WaitForExit(ExitWait))
        {
            worker.Process.Kill(); // its connection broke but it lives on: it cannot serve us any more
            worker.Process.WaitForExit(ExitWait);
        }

        PoolTask? lost = null;
        lock (dispatcher.Gate)
        {
            worker.Connection?.Dispose();
            dispatcher.Workers.Remove(worker);
            dispatcher.Ended.Add(worker);
            if (dispatcher.Ended.Count > Math.Max(EndedWorkersKeptAtLeast, dispatcher.Processes))
            {
                dispatcher.Ended.RemoveAt(0);
            }

            var expected = dispatcher.State == ProcessPoolState.Terminated || (worker.ExitSent && worker.Sent.Count == 0);
            worker.State = expected ? PoolWorkerState.Exited : PoolWorkerState.Died;
            if (!expected || (worker.Replace && dispatcher.State != ProcessPoolState.Terminated))
            {
                lost = worker.Running is { IsInitializer: false } running ? running : null;
                // Tasks it never started go back to the front of the queue, in their order.
                foreach (var task in worker.Sent.Where(t => t != worker.Running && !t.IsInitializer).Reverse())
                {
                    task.Started = false;
                    dispatcher.Queue.AddFirst(task);
                }

                worker.Sent.Clear();
                worker.Running = null;
                if (NeedsWorkersLocked())
                {
                    AddWorkerLocked();
                }

                dispatcher.DispatchLocked();
            }

            // Before CheckFinishedLocked: once it lets Join() return, a trace stopped right after must already have the end.
            PoolTracing.WorkerEnded(worker, lostTask: lost is not null);
            dispatcher.CheckFinishedLocked();
        }

        if (lost is not null)
        {
            results.Fail(lost, new WorkerDiedException(worker.Pid, lost.Call, worker.Process.DescribeExit()));
        }

        pool.RaiseChanged();
    }

    /// <summary>
    /// A worker's initializer ran (<paramref name="error"/> null) or threw. Python's worker dies of it and the pool starts
    /// another, for ever (a task then waits for ever); here the worker is replaced likewise, but after
    /// <see cref="StartFailuresTolerated"/> initializer failures in a row the pool gives up: waiting and later tasks fail
    /// with a <see cref="WorkerStartException"/> whose inner exception is the initializer's.
    /// </summary>
    public void InitializerFinished(PoolWorkerRecord worker, Exception? error)
    {
        List<PoolTask> doomed = [];
        Exception? broken = null;
        lock (dispatcher.Gate)
        {
            if (error is null)
            {
                _initializerFailures = 0;
                dispatcher.DispatchLocked();
                return;
            }

            if (dispatcher.State != ProcessPoolState.Terminated)
            {
                dispatcher.RetireLocked(worker);
                if (++_initializerFailures >= StartFailuresTolerated && dispatcher.Broken is null)
                {
                    broken = dispatcher.Broken = new WorkerStartException(
                        $"the initializer {initializer!.Function.MethodName} threw in {_initializerFailures} workers in a row " +
                        $"({error.GetType().Name}: {error.Message}), so the pool stopped starting workers", error);
                    doomed.AddRange(dispatcher.Queue);
                    dispatcher.Queue.Clear();
                }

                dispatcher.DispatchLocked();
            }
        }

        ProcessOutput.Deliver(pool.Output, new ProcessOutput(worker.Pid, "stderr",
            $"the pool's initializer failed in this worker, which exits: {error.GetType().FullName}: {error.Message}"), createdIn);
        foreach (var task in doomed)
        {
            results.Fail(task, new WorkerStartException($"The pool cannot run {task.Call}: {broken!.Message}.", broken));
        }
    }

    /// <summary>True when a worker that ended must be replaced: the pool runs, or it is closed with work left.</summary>
    private bool NeedsWorkersLocked() =>
        (dispatcher.State == ProcessPoolState.Running && dispatcher.Broken is null) ||
        (dispatcher.State == ProcessPoolState.Closed && (dispatcher.Queue.Count > 0 || dispatcher.Workers.Any(w => w.Sent.Count > 0)) &&
         dispatcher.Workers.Count < dispatcher.Processes);
}
