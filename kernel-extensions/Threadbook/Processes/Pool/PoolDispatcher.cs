using System.Diagnostics;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;

namespace Threadbook.Processes.Pool;

/// <summary>
/// The pool's books under one lock (<see cref="Gate"/>): its state, the queue, the workers and what each holds. Sends
/// queued tasks to the least-loaded workers that can take more (a worker of short tasks takes up to 16, see
/// <see cref="PoolWorkerRecord.Window"/>), records tasks starting and finishing, takes back tasks a worker returned, and says
/// when a closed pool is finished. Workers come and go through <see cref="PoolSupervisor"/>; tasks waiting behind a
/// long one are taken back by <see cref="PoolRebalancer"/>.
/// </summary>
internal sealed class PoolDispatcher
{
    private readonly PoolResults _results;
    private readonly PoolRebalancer _rebalancer;
    private readonly ManualResetEventSlim _finished = new(false);
    private long _lastTaskId;

    public PoolDispatcher(int processes, int? maxTasksPerChild, PoolResults results)
    {
        Processes = processes;
        MaxTasksPerChild = maxTasksPerChild;
        _results = results;
        _rebalancer = new PoolRebalancer(RebalanceDue);
    }

    public object Gate { get; } = new();

    public int Processes { get; }

    /// <summary>Python's <c>maxtasksperchild</c>: a worker that finished this many tasks exits and a new one takes its place; null: workers live as long as the pool.</summary>
    public int? MaxTasksPerChild { get; }

    /// <summary>The workers started and not ended (under <see cref="Gate"/>).</summary>
    public List<PoolWorkerRecord> Workers { get; } = [];

    /// <summary>The last workers that ended, kept for a view (under <see cref="Gate"/>).</summary>
    public List<PoolWorkerRecord> Ended { get; } = [];

    /// <summary>Tasks no worker was sent yet, in order (under <see cref="Gate"/>).</summary>
    public LinkedList<PoolTask> Queue { get; } = new();

    public ProcessPoolState State { get; private set; } = ProcessPoolState.Running;

    /// <summary>Set when workers failed to start too often: new tasks fail at once.</summary>
    public Exception? Broken { get; set; }

    public long Submitted { get; private set; }

    /// <summary>How many tasks were taken back from a worker busy with a long task and given to a free one (for tests).</summary>
    public long TasksTakenBack { get; private set; }

    /// <summary>Set once the pool is closed or terminated and every worker ended.</summary>
    public ManualResetEventSlim Finished => _finished;

    /// <summary>Tasks not started yet: queued, or sent and waiting behind another.</summary>
    public int WaitingLocked => Queue.Count + Workers.Sum(w => w.Sent.Count(t => !t.Started));

    public long NextTaskIdLocked() => ++_lastTaskId;

    /// <summary>Counts <paramref name="task"/> and queues it for a worker, unless the pool is broken.</summary>
    public void SubmitLocked(PoolTask task)
    {
        Submitted++;
        if (Broken is null)
        {
            Queue.AddLast(task);
            DispatchLocked();
        }
    }

    /// <summary>Takes no more tasks; false when it was not running.</summary>
    public bool Close()
    {
        lock (Gate)
        {
            if (State != ProcessPoolState.Running)
            {
                return false;
            }

            State = ProcessPoolState.Closed;
            DispatchLocked();
            CheckFinishedLocked();
            return true;
        }
    }

    /// <summary>Marks the pool terminated and empties the books: the unfinished tasks and the workers (to kill) come back; false when it was terminated already.</summary>
    public bool Terminate(out List<PoolTask> unfinished, out List<PoolWorkerRecord> workers)
    {
        lock (Gate)
        {
            if (State == ProcessPoolState.Terminated)
            {
                unfinished = [];
                workers = [];
                return false;
            }

            State = ProcessPoolState.Terminated;
            unfinished = [.. Queue, .. Workers.SelectMany(w => w.Sent).Where(t => !t.IsInitializer)];
            Queue.Clear();
            foreach (var worker in Workers)
            {
                worker.Sent.Clear();
                worker.Running = null;
            }

            workers = [.. Workers];
            CheckFinishedLocked();
            return true;
        }
    }

    /// <summary>The worker reported starting <paramref name="taskId"/>; null when that task is gone (terminated meanwhile).</summary>
    public PoolTask? TaskStarted(PoolWorkerRecord worker, long taskId, long timestamp)
    {
        lock (Gate)
        {
            var task = worker.Sent.TryPeek(out var next) && next.Id == taskId ? next : null;
            if (task is null)
            {
                return null;
            }

            task.Started = true;
            task.StartedAt = timestamp;
            task.Result.ProcessId = worker.Pid;
            worker.Running = task;
            worker.State = PoolWorkerState.Busy;
            worker.OutputContext = task.Context;
            if (TakeBackRule.TicksUntilLong(worker.Load, Stopwatch.GetTimestamp()) is { } untilLong && HasIdleWorkerLocked())
            {
                _rebalancer.LookAgainIn(untilLong); // if it runs long, the tasks behind it go to the idle worker
            }

            return task;
        }
    }

    /// <summary>
    /// The worker reported finishing <paramref name="taskId"/>: the task comes off its books (null when it is gone).
    /// <paramref name="dispatch"/> is false while more of its frames are buffered: the last of them refills it.
    /// </summary>
    public PoolTask? TaskFinished(PoolWorkerRecord worker, long taskId, long timestamp, bool dispatch)
    {
        lock (Gate)
        {
            var task = worker.Sent.TryPeek(out var next) && next.Id == taskId ? worker.Sent.Dequeue() : null;
            if (task is not null)
            {
                task.FinishedAt = timestamp;
                if (task.Started && !task.IsInitializer)
                {
                    worker.RecordTaskLength(Math.Max(0, timestamp - task.StartedAt));
                }

                worker.Running = null;
                if (!task.IsInitializer)
                {
                    worker.TasksDone++;
                }

                worker.State = worker.Sent.Count > 0 ? PoolWorkerState.Busy : PoolWorkerState.Idle;
                if (MaxTasksPerChild is { } most && worker.TasksDone >= most && worker.Sent.Count == 0 && !worker.ExitSent)
                {
                    RetireLocked(worker); // Python's maxtasksperchild: it exits, and the supervisor starts its successor
                    dispatch = true;
                }
            }

            // A worker of short tasks still holding more than half its window has enough to do: refilling it once per
            // half window, not once per result, sends its next tasks in one batch (one system call for several).
            // An initializer's end is the supervisor's to act on (a worker whose initializer threw takes no task).
            if (task is { IsInitializer: true })
            {
                return task;
            }

            if (dispatch && (worker.Sent.Count <= worker.Window / 2 || State != ProcessPoolState.Running || HasIdleWorkerLocked()))
            {
                DispatchLocked();
            }

            return task;
        }
    }

    /// <summary>A worker gave back tasks it had not started (asked to while it ran a long one): they go first in the queue, to the workers that are free.</summary>
    public void TasksReturned(PoolWorkerRecord worker, long[] taskIds)
    {
        lock (Gate)
        {
            worker.RevokeSent = false;
            var returned = worker.Sent.Where(t => !t.Started && taskIds.Contains(t.Id)).ToList();
            if (returned.Count > 0 && State != ProcessPoolState.Terminated)
            {
                worker.TasksSent -= returned.Count;
                var kept = worker.Sent.Where(t => !returned.Contains(t)).ToList();
                worker.Sent.Clear();
                kept.ForEach(worker.Sent.Enqueue);
                for (var i = returned.Count - 1; i >= 0; i--)
                {
                    Queue.AddFirst(returned[i]);
                }

                TasksTakenBack += returned.Count;
            }

            DispatchLocked();
        }
    }

    /// <summary>Tells <paramref name="worker"/> to exit once what it was sent is done, to be replaced by a new worker (its task budget is spent, or its initializer failed).</summary>
    public void RetireLocked(PoolWorkerRecord worker)
    {
        worker.Replace = true;
        worker.ExitSent = true;
        WorkerMessages.WriteExit(worker.Outgoing);
    }

    /// <summary>Sends queued tasks to the least-loaded workers that can take more, and tells idle workers of a closed pool to exit.</summary>
    public void DispatchLocked()
    {
        if (State == ProcessPoolState.Terminated)
        {
            return;
        }

        while (Queue.First is { } first)
        {
            PoolWorkerRecord? least = null;
            foreach (var worker in Workers)
            {
                if (worker.CanTake && (MaxTasksPerChild is not { } most || worker.TasksSent < most) && (least is null || worker.Sent.Count < least.Sent.Count))
                {
                    least = worker;
                }
            }

            if (least is null)
            {
                break;
            }

            Queue.RemoveFirst();
            var task = first.Value;
            if (least.Defined.Add(task.Function))
            {
                WorkerProcess.RememberUsed(task.Function);
                WorkerMessages.WriteDefine(least.Outgoing, task.Function);
            }

            WorkerMessages.WriteRun(least.Outgoing, task.Id, task.Function, task.ArgumentsJson, exitAfter: false, chunk: task.Chunk is not null);
            least.Sent.Enqueue(task);
            least.TasksSent++;
        }

        _rebalancer.Rebalance(Workers, State, Queue.Count, HasIdleWorkerLocked());
        var waitingBehind = HasTasksWaitingBehindLocked();
        foreach (var worker in Workers)
        {
            // An idle worker of a closed pool exits, unless tasks wait behind another's long task: it may get them yet.
            if (TakeBackRule.ShouldExit(State, Queue.Count, waitingBehind, worker.Load))
            {
                WorkerMessages.WriteExit(worker.Outgoing);
                worker.ExitSent = true;
            }

            if (!worker.Outgoing.IsEmpty)
            {
                try
                {
                    worker.Connection!.Send(worker.Outgoing);
                }
                catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
                {
                    worker.Outgoing.Clear(); // it died; its reader thread hands its tasks on
                }
            }
        }
    }

    /// <summary>Once the pool is closed or terminated and every worker ended: no more callbacks, and <see cref="Finished"/> is set.</summary>
    public void CheckFinishedLocked()
    {
        if (State != ProcessPoolState.Running && Workers.Count == 0 && Queue.Count == 0 && !_finished.IsSet)
        {
            _rebalancer.Dispose();
            _results.Complete();
            _finished.Set();
        }
    }

    private void RebalanceDue()
    {
        lock (Gate)
        {
            _rebalancer.Fired();
            DispatchLocked();
        }
    }

    /// <summary>True when a connected worker that may still take tasks has none.</summary>
    private bool HasIdleWorkerLocked()
    {
        foreach (var worker in Workers)
        {
            if (TakeBackRule.IsIdle(worker.Load))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when some worker holds tasks it has not started behind another one (an idle worker may yet get them).</summary>
    private bool HasTasksWaitingBehindLocked()
    {
        foreach (var worker in Workers)
        {
            if (TakeBackRule.HoldsTasksBehind(worker.Load))
            {
                return true;
            }
        }

        return false;
    }
}
