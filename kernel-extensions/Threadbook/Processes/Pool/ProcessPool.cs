using System.Diagnostics;
using System.Globalization;
using Threadbook.Introspection;
using Threadbook.Processes.Pool;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Processes;

/// <summary>
/// A pool of worker processes with the operations of Python's <c>multiprocessing.Pool</c>: <see cref="Apply"/> (blocks),
/// <see cref="ApplyAsync"/> with a callback and an error callback, <see cref="Map{TItem, TResult}"/>,
/// <see cref="ImapUnordered{TItem, TResult}"/>, <see cref="Close"/>, <see cref="Terminate"/> and <see cref="Join()"/>.
/// The function must be a public static method whose assembly is a file (see <see cref="WorkerFunction"/>).
/// </summary>
/// <remarks>
/// <para>Workers are started when the pool is made (taken from <see cref="WorkerProcesses"/>' warm ones when there are
/// some) and run tasks one after another; a worker keeps its static state between tasks, as Python's does. Each task's
/// arguments and result travel as JSON over a Unix socket; a worker's console output does not: it is read from the
/// worker's standard output and error and handed to <see cref="Output"/> (by default <c>[pid N] line</c> on this
/// process's console, in the context of the code that submitted the task, so a notebook shows it in that cell).</para>
/// <para>Callbacks and error callbacks run on one result-handler thread of the pool, in the order results arrive; a
/// result with a callback becomes ready after its callback ran (as in Python). A task's exception comes back as a
/// <see cref="RemoteException"/>; a worker that dies while running a task (<c>kill -9</c>, a crash) fails that task with a
/// <see cref="WorkerDiedException"/> and is replaced, and the tasks it had not started go to another worker.</para>
/// <para>A worker whose tasks take under a millisecond on average is sent up to 16 at a time, which saves a round trip
/// per task; longer tasks go one at a time to whichever worker is free, as in Python. When one of those short tasks
/// turns out long (10 ms) while others wait behind it and another worker has nothing to do, the pool takes the waiting
/// ones back and gives them to the free worker, so no task waits behind a long one while a worker idles (in Python a
/// free worker takes the next task itself).</para>
/// <para>When a <see cref="TraceRecorder"/> is recording, the pool records each submission (a mark on the submitting
/// thread), each task as a span on its worker's lane ("worker process N", timed by the worker itself), each worker's
/// start and end, and each callback as a span on the result-handler thread.</para>
/// </remarks>
public sealed class ProcessPool : IRenderable, IDisposable
{
    /// <summary>How many finished tasks a <see cref="Snapshot"/> lists (the last ones): a big <see cref="Map{TItem, TResult}"/> keeps a view small.</summary>
    public const int RecentResultsKept = 8;

    // A view keeps the ended workers' rows: at least one per worker the pool keeps, so a joined pool shows them all.
    private const int EndedWorkersKeptAtLeast = 4;
    private const int StartFailuresTolerated = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(5);

    private readonly object _gate = new();
    private readonly List<PoolWorker> _workers = [];
    private readonly List<PoolWorker> _ended = [];
    private readonly LinkedList<PoolTask> _queue = new();
    private readonly ResultHandlerThread _results;
    private readonly ManualResetEventSlim _finished = new(false);
    private readonly ExecutionContext? _createdIn;
    private readonly FinishedTask[] _recent = new FinishedTask[RecentResultsKept];
    private long _finishedCount;
    private ProcessPoolState _state = ProcessPoolState.Running;
    private long _lastTaskId;
    private long _submitted;
    private long _completed;
    private long _failed;
    private int _lastWorkerNumber;
    private int _startFailures;
    private Exception? _broken;
    private Timer? _rebalanceTimer;
    private long _rebalanceDue;

    /// <summary>Starts a pool of <paramref name="processes"/> worker processes (Python's <c>Pool(processes)</c>).</summary>
    /// <exception cref="FileNotFoundException">The worker program cannot be found (see <see cref="WorkerProcesses.WorkerPath"/>).</exception>
    public ProcessPool(int processes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        Processes = processes;
        _createdIn = ExecutionContext.Capture();
        _results = new ResultHandlerThread("threadbook pool result handler");
        lock (_gate)
        {
            for (var i = 0; i < processes; i++)
            {
                AddWorkerLocked();
            }
        }
    }

    /// <summary>Starts a pool with one worker per core (Python's <c>Pool()</c>).</summary>
    public ProcessPool()
        : this(Environment.ProcessorCount)
    {
    }

    /// <summary>Raised after every change a view shows (a task submitted, started or finished, a worker started or ended), on the thread that made it. Keep handlers short.</summary>
    public event EventHandler? Changed;

    /// <summary>How many workers the pool keeps.</summary>
    public int Processes { get; }

    /// <summary>Running, closed or terminated.</summary>
    public ProcessPoolState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>The managed id of the thread that runs callbacks and error callbacks.</summary>
    public int ResultHandlerThreadId => _results.ManagedThreadId;

    /// <summary>Where workers' output lines go; null (the default) writes <c>[pid N] line</c> to the console.</summary>
    public Action<ProcessOutput>? Output { get; set; }

    /// <summary>The process ids of the current workers.</summary>
    public IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_gate)
            {
                return _workers.Select(w => w.Pid).ToArray();
            }
        }
    }

    /// <summary>Runs <paramref name="function"/> in a worker and waits for its result (Python's <c>apply</c>).</summary>
    /// <exception cref="RemoteException">The function raised an exception.</exception>
    public object? Apply(Delegate function, params object?[] args) => ApplyAsync(function, args).Get();

    /// <summary>
    /// Queues a call of <paramref name="function"/> and returns at once (Python's <c>apply_async</c>). When it finishes,
    /// <paramref name="callback"/> gets its value, or <paramref name="errorCallback"/> its exception, on the pool's
    /// result-handler thread.
    /// </summary>
    /// <exception cref="ArgumentException">The function cannot run in another process, the argument count is wrong, or an argument cannot be sent.</exception>
    /// <exception cref="InvalidOperationException">The pool was closed or terminated ("Pool not running: it was closed…").</exception>
    public AsyncResult ApplyAsync(Delegate function, object?[]? args = null, Action<object?>? callback = null, Action<Exception>? errorCallback = null)
    {
        var workerFunction = WorkerFunction.From(function);
        var arguments = args ?? [];
        workerFunction.CheckArgumentCount(arguments);
        var json = ProcessJson.SerializeArguments(arguments);
        PoolTask task;
        lock (_gate)
        {
            if (_state != ProcessPoolState.Running)
            {
                throw new InvalidOperationException(
                    $"Pool not running: it was {(_state == ProcessPoolState.Closed ? "closed" : "terminated")}, so it takes no new tasks " +
                    $"({CallText.Of(workerFunction.MethodName, arguments)} was not queued). Start a new ProcessPool for more work.");
            }

            task = new PoolTask(++_lastTaskId, workerFunction, arguments, json, callback, errorCallback, ExecutionContext.Capture());
            _submitted++;
            if (_broken is null)
            {
                _queue.AddLast(task);
                DispatchLocked();
            }
        }

        if (_broken is { } broken)
        {
            Fail(task, new WorkerStartException($"The pool cannot run {task.Call}: its workers do not start. {broken.Message}"));
        }

        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Mark($"submit {task.Call}");
        }

        RaiseChanged();
        return task.Result;
    }

    /// <summary>Runs <paramref name="function"/> on every item in the workers and returns the results in item order (Python's <c>map</c>).</summary>
    /// <exception cref="RemoteException">A call raised an exception (the first one, in item order).</exception>
    public IReadOnlyList<TResult> Map<TItem, TResult>(Func<TItem, TResult> function, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        return items.Select(item => ApplyAsync(function, [item])).ToList().Select(result => (TResult)result.Get()!).ToList();
    }

    /// <summary>
    /// Runs <paramref name="function"/> on every item and yields each result as soon as it arrives (Python's
    /// <c>imap_unordered</c>). Every call is queued before this returns.
    /// </summary>
    public IEnumerable<TResult> ImapUnordered<TItem, TResult>(Func<TItem, TResult> function, IEnumerable<TItem> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var arrived = new System.Collections.Concurrent.ConcurrentQueue<AsyncResult>();
        var count = new SemaphoreSlim(0);
        var results = items.Select(item => ApplyAsync(function, [item])).ToList();
        foreach (var result in results)
        {
            result.AsTask().ContinueWith(_ =>
            {
                arrived.Enqueue(result);
                count.Release();
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return Arrivals(results.Count, arrived, count);

        static IEnumerable<TResult> Arrivals(int total, System.Collections.Concurrent.ConcurrentQueue<AsyncResult> arrived, SemaphoreSlim count)
        {
            for (var i = 0; i < total; i++)
            {
                count.Wait();
                arrived.TryDequeue(out var next);
                yield return (TResult)next!.Get()!;
            }
        }
    }

    /// <summary>Accepts no more tasks; the workers exit once every queued task is done (Python's <c>close</c>).</summary>
    public void Close()
    {
        lock (_gate)
        {
            if (_state != ProcessPoolState.Running)
            {
                return;
            }

            _state = ProcessPoolState.Closed;
            DispatchLocked();
            CheckFinishedLocked();
        }

        RaiseChanged();
    }

    /// <summary>Kills the workers now; tasks not finished fail with <see cref="PoolTerminatedException"/> (their error callbacks are not called, as in Python).</summary>
    public void Terminate()
    {
        List<PoolTask> unfinished;
        List<PoolWorker> workers;
        lock (_gate)
        {
            if (_state == ProcessPoolState.Terminated)
            {
                return;
            }

            _state = ProcessPoolState.Terminated;
            unfinished = [.. _queue, .. _workers.SelectMany(w => w.Sent)];
            _queue.Clear();
            foreach (var worker in _workers)
            {
                worker.Sent.Clear();
                worker.Running = null;
            }

            workers = [.. _workers];
            CheckFinishedLocked();
        }

        foreach (var worker in workers)
        {
            worker.Process.Kill();
        }

        foreach (var task in unfinished)
        {
            Interlocked.Increment(ref _failed);
            var error = new PoolTerminatedException(task.Call);
            RememberFinished(task, null, error);
            task.Result.Fail(error);
        }

        RaiseChanged();
    }

    /// <summary>Waits for the workers to exit and the last callback to run (Python's <c>join</c>); call <see cref="Close"/> or <see cref="Terminate"/> first.</summary>
    /// <exception cref="InvalidOperationException">The pool is still running ("Pool is still running: call Close() or Terminate()…").</exception>
    public void Join() => Join(Timeout.InfiniteTimeSpan);

    /// <summary>Like <see cref="Join()"/>, waiting at most <paramref name="timeout"/>; true when everything ended.</summary>
    /// <exception cref="InvalidOperationException">The pool is still running ("Pool is still running: call Close() or Terminate()…").</exception>
    public bool Join(TimeSpan timeout)
    {
        if (State == ProcessPoolState.Running)
        {
            throw new InvalidOperationException(
                "Pool is still running: call Close() (no new tasks, queued ones finish) or Terminate() (stop now) before Join(), " +
                "otherwise Join() would wait forever, as in Python.");
        }

        var started = Stopwatch.GetTimestamp();
        if (!_finished.Wait(timeout))
        {
            return false;
        }

        var left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - Stopwatch.GetElapsedTime(started);
        return _results.Join(left < TimeSpan.Zero ? TimeSpan.Zero : left);
    }

    /// <summary>What the pool is doing now: its workers, the queue, the counts, the last results.</summary>
    public PoolSnapshot Snapshot()
    {
        var recent = RecentFinished();
        lock (_gate)
        {
            return new PoolSnapshot(
                _state,
                Processes,
                [.. _workers.Concat(_ended).OrderBy(w => w.Number).Select(w => w.Snapshot())], // a table reads worker 1, 2, 3 …
                _queue.Count + _workers.Sum(w => w.Sent.Count(t => !t.Started)),
                _submitted,
                Interlocked.Read(ref _completed),
                Interlocked.Read(ref _failed),
                recent);
        }
    }

    /// <summary><see cref="Terminate"/>, then <see cref="Join()"/> for at most 10 seconds (a callback that never returns cannot hold it up longer).</summary>
    public void Dispose()
    {
        Terminate();
        Join(TimeSpan.FromSeconds(10));
    }

    /// <inheritdoc />
    public string ToHtml() => PoolView.Of(this).ToHtml();

    /// <inheritdoc />
    public string ToText() => PoolView.Of(this).ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();

    private void AddWorkerLocked()
    {
        var worker = new PoolWorker(WorkerProcesses.Take(), ++_lastWorkerNumber) { OutputContext = _createdIn };
        worker.Process.SetOutput(line => ProcessOutput.Deliver(Output, line, worker.OutputContext));
        _workers.Add(worker);
        worker.Process.RunReader(() => Serve(worker), $"threadbook pool worker {worker.Pid} reader");
    }

    /// <summary>The worker's reader thread: waits for it to connect, then reads what it reports until it ends.</summary>
    private void Serve(PoolWorker worker)
    {
        FrameConnection connection;
        try
        {
            connection = worker.Process.WaitConnected(ConnectTimeout);
        }
        catch (Exception e)
        {
            WorkerFailedToStart(worker, e);
            return;
        }

        lock (_gate)
        {
            worker.Connection = connection;
            worker.State = PoolWorkerState.Idle;
            _startFailures = 0;
            if (_state == ProcessPoolState.Terminated)
            {
                worker.Process.Kill();
            }

            DispatchLocked();
        }

        TraceRecorder.RecordInLane(worker.Lane, Stopwatch.GetTimestamp(), TraceEventKind.ThreadStarted, worker.Lane.Name);
        RaiseChanged();
        while (connection.ReadFrame(out var payload))
        {
            var message = new FrameReader(payload);
            switch (message.Kind)
            {
                case MessageKind.Started:
                    TaskStarted(worker, message.Int64(), message.Int64());
                    break;
                case MessageKind.Succeeded or MessageKind.Failed:
                    TaskFinished(worker, ref message, dispatch: !connection.HasBufferedFrame);
                    break;
                case MessageKind.Returned:
                    TasksReturned(worker, WorkerMessages.ReadReturned(ref message));
                    break;
            }

            if (!connection.HasBufferedFrame)
            {
                RaiseChanged();
            }
        }

        WorkerEnded(worker);
    }

    private void TaskStarted(PoolWorker worker, long taskId, long timestamp)
    {
        PoolTask? task;
        lock (_gate)
        {
            task = worker.Sent.TryPeek(out var next) && next.Id == taskId ? next : null;
            if (task is null)
            {
                return; // terminated meanwhile
            }

            task.Started = true;
            task.StartedAt = timestamp;
            task.Result.ProcessId = worker.Pid;
            worker.Running = task;
            worker.State = PoolWorkerState.Busy;
            worker.OutputContext = task.Context;
            if (worker.TicksUntilLongWithTasksBehind(Stopwatch.GetTimestamp()) is { } untilLong && HasIdleWorkerLocked())
            {
                ScheduleRebalanceLocked(untilLong); // if it runs long, the tasks behind it go to the idle worker
            }
        }

        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.RecordInLane(worker.Lane, timestamp, TraceEventKind.SpanBegan, task.Call);
        }
    }

    private void TaskFinished(PoolWorker worker, ref FrameReader message, bool dispatch)
    {
        var succeeded = message.Kind == MessageKind.Succeeded;
        var taskId = message.Int64();
        var timestamp = message.Int64();
        PoolTask? task;
        lock (_gate)
        {
            task = worker.Sent.TryPeek(out var next) && next.Id == taskId ? worker.Sent.Dequeue() : null;
            if (task is not null)
            {
                task.FinishedAt = timestamp;
                if (task.Started)
                {
                    worker.RecordTaskLength(Math.Max(0, timestamp - task.StartedAt));
                }

                worker.Running = null;
                worker.TasksDone++;
                worker.State = worker.Sent.Count > 0 ? PoolWorkerState.Busy : PoolWorkerState.Idle;
            }

            // A worker of short tasks still holding more than half its window has enough to do: refilling it once per
            // half window, not once per result, sends its next tasks in one batch (one system call for several).
            if (dispatch && (worker.Sent.Count <= worker.Window / 2 || _state != ProcessPoolState.Running || HasIdleWorkerLocked()))
            {
                DispatchLocked();
            }
        }

        if (task is null)
        {
            return;
        }

        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.RecordInLane(worker.Lane, timestamp, TraceEventKind.SpanEnded);
        }

        if (!succeeded)
        {
            Fail(task, WorkerMessages.ReadFailure(ref message, worker.Pid, task.Call));
            return;
        }

        object? value;
        try
        {
            value = ProcessJson.DeserializeValue(message.Bytes(), task.Function.ResultType);
        }
        catch (Exception e)
        {
            Fail(task, new RemoteException(e.GetType().FullName!, $"its result could not be read as {task.Function.ResultType}: {e.Message}", "", worker.Pid, task.Call));
            return;
        }

        Succeed(task, value);
    }

    private void Succeed(PoolTask task, object? value)
    {
        Interlocked.Increment(ref _completed);
        RememberFinished(task, value, null);
        if (task.Callback is not { } callback)
        {
            task.Result.Succeed(value);
            return;
        }

        _results.Post(() =>
        {
            RunCallback(task, () => callback(value));
            task.Result.Succeed(value);
        });
    }

    private void Fail(PoolTask task, Exception error)
    {
        Interlocked.Increment(ref _failed);
        RememberFinished(task, null, error);
        if (task.ErrorCallback is not { } errorCallback)
        {
            task.Result.Fail(error);
            return;
        }

        _results.Post(() =>
        {
            RunCallback(task, () => errorCallback(error));
            task.Result.Fail(error);
        });
    }

    /// <summary>Keeps the task in the ring of recent results; its text is made only when a snapshot asks (most never are).</summary>
    private void RememberFinished(PoolTask task, object? value, Exception? error)
    {
        lock (_recent)
        {
            _recent[_finishedCount % RecentResultsKept] = new FinishedTask(task, task.Result.ProcessId, value, error);
            _finishedCount++;
        }
    }

    private List<PoolFinishedTask> RecentFinished()
    {
        FinishedTask[] kept;
        lock (_recent)
        {
            var count = (int)Math.Min(_finishedCount, RecentResultsKept);
            kept = new FinishedTask[count];
            for (var i = 0; i < count; i++)
            {
                kept[i] = _recent[(_finishedCount - count + i) % RecentResultsKept];
            }
        }

        // Outside the lock: a value's ToString is user code.
        return kept.Select(f => new PoolFinishedTask(
            f.Task.Id,
            f.Task.Call,
            f.ProcessId,
            f.Error is null,
            f.Error switch
            {
                null => Probe.Text(f.Value),
                RemoteException remote => $"{remote.RemoteTypeName[(remote.RemoteTypeName.LastIndexOf('.') + 1)..]}: {remote.RemoteMessage}",
                _ => Probe.Text(f.Error),
            },
            f.Task.Duration)).ToList();
    }

    private static void RunCallback(PoolTask task, Action callback)
    {
        using var span = TraceRecorder.Active is not null ? TraceRecorder.Span($"callback of {task.Call}") : default;
        var run = () =>
        {
            try
            {
                callback();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"[pool] the callback of {task.Call} threw {e.GetType().Name}: {e.Message}");
            }
        };
        if (task.Context is { } context)
        {
            ExecutionContext.Run(context, static state => ((Action)state!)(), run);
        }
        else
        {
            run();
        }
    }

    private void WorkerFailedToStart(PoolWorker worker, Exception error)
    {
        List<PoolTask> doomed = [];
        lock (_gate)
        {
            _workers.Remove(worker);
            worker.State = PoolWorkerState.Died;
            if (_state != ProcessPoolState.Terminated)
            {
                if (++_startFailures >= StartFailuresTolerated)
                {
                    _broken = error;
                    doomed.AddRange(_queue);
                    _queue.Clear();
                }
                else if (NeedsWorkersLocked())
                {
                    AddWorkerLocked();
                }
            }

            CheckFinishedLocked();
        }

        foreach (var task in doomed)
        {
            Fail(task, new WorkerStartException($"The pool cannot run {task.Call}: its workers do not start. {error.Message}"));
        }

        RaiseChanged();
    }

    private void WorkerEnded(PoolWorker worker)
    {
        if (!worker.Process.WaitForExit(ExitWait))
        {
            worker.Process.Kill(); // its connection broke but it lives on: it cannot serve us any more
            worker.Process.WaitForExit(ExitWait);
        }

        PoolTask? lost = null;
        lock (_gate)
        {
            worker.Connection?.Dispose();
            _workers.Remove(worker);
            _ended.Add(worker);
            if (_ended.Count > Math.Max(EndedWorkersKeptAtLeast, Processes))
            {
                _ended.RemoveAt(0);
            }

            var expected = _state == ProcessPoolState.Terminated || (worker.ExitSent && worker.Sent.Count == 0);
            worker.State = expected ? PoolWorkerState.Exited : PoolWorkerState.Died;
            if (!expected)
            {
                lost = worker.Running;
                // Tasks it never started go back to the front of the queue, in their order.
                foreach (var task in worker.Sent.Where(t => t != lost).Reverse())
                {
                    task.Started = false;
                    _queue.AddFirst(task);
                }

                worker.Sent.Clear();
                worker.Running = null;
                if (NeedsWorkersLocked())
                {
                    AddWorkerLocked();
                }

                DispatchLocked();
            }

            // Before CheckFinishedLocked: once it lets Join() return, a trace stopped right after must already have the end.
            if (TraceRecorder.Active is not null)
            {
                var now = Stopwatch.GetTimestamp();
                if (lost is not null)
                {
                    TraceRecorder.RecordInLane(worker.Lane, now, TraceEventKind.SpanEnded);
                }

                TraceRecorder.RecordInLane(worker.Lane, now, TraceEventKind.ThreadStopped);
            }

            CheckFinishedLocked();
        }

        if (lost is not null)
        {
            Fail(lost, new WorkerDiedException(worker.Pid, lost.Call, worker.Process.DescribeExit()));
        }

        RaiseChanged();
    }

    /// <summary>A worker gave back tasks it had not started (asked to while it ran a long one): they go first in the queue, to the workers that are free.</summary>
    private void TasksReturned(PoolWorker worker, long[] taskIds)
    {
        lock (_gate)
        {
            worker.RevokeSent = false;
            var returned = worker.Sent.Where(t => !t.Started && taskIds.Contains(t.Id)).ToList();
            if (returned.Count > 0 && _state != ProcessPoolState.Terminated)
            {
                var kept = worker.Sent.Where(t => !returned.Contains(t)).ToList();
                worker.Sent.Clear();
                kept.ForEach(worker.Sent.Enqueue);
                for (var i = returned.Count - 1; i >= 0; i--)
                {
                    _queue.AddFirst(returned[i]);
                }

                TasksTakenBack += returned.Count;
            }

            DispatchLocked();
        }

        RaiseChanged();
    }

    /// <summary>How many tasks were taken back from a worker busy with a long task and given to a free one (for tests).</summary>
    internal long TasksTakenBack { get; private set; }

    /// <summary>
    /// Python's workers take the next task when they are free; ours are sent several short ones ahead, so when a task
    /// turns out long while tasks wait behind it and another worker has nothing to do, ask for the waiting ones back
    /// (<see cref="MessageKind.Revoke"/>); when the running task is not long yet, look again when it would be.
    /// </summary>
    private void RebalanceLocked()
    {
        if (_state == ProcessPoolState.Terminated || _queue.Count > 0 || !HasIdleWorkerLocked())
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        long? soonest = null;
        foreach (var worker in _workers)
        {
            if (worker.RevokeSent || worker.TicksUntilLongWithTasksBehind(now) is not { } untilLong)
            {
                continue;
            }

            if (untilLong <= 0)
            {
                WorkerMessages.WriteRevoke(worker.Outgoing);
                worker.RevokeSent = true;
            }
            else
            {
                soonest = Math.Min(soonest ?? long.MaxValue, untilLong);
            }
        }

        if (soonest is { } wait)
        {
            ScheduleRebalanceLocked(wait);
        }
    }

    private void ScheduleRebalanceLocked(long ticks)
    {
        if (_rebalanceTimer is null)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _rebalanceTimer = new Timer(static state => ((ProcessPool)state!).RebalanceDue(), this, Timeout.Infinite, Timeout.Infinite);
            }
        }

        // Armed already for as soon (or sooner): leave it, rather than move the timer for every task that starts.
        var due = Stopwatch.GetTimestamp() + Math.Max(0, ticks);
        if (_rebalanceDue != 0 && _rebalanceDue <= due)
        {
            return;
        }

        _rebalanceDue = due;
        var milliseconds = (long)Math.Ceiling(Math.Max(0, ticks) * 1000.0 / Stopwatch.Frequency) + 1;
        _rebalanceTimer.Change(milliseconds, Timeout.Infinite);
    }

    private void RebalanceDue()
    {
        lock (_gate)
        {
            _rebalanceDue = 0;
            DispatchLocked();
        }
    }

    /// <summary>True when a connected worker that may still take tasks has none.</summary>
    private bool HasIdleWorkerLocked()
    {
        foreach (var worker in _workers)
        {
            if (worker.Connection is not null && !worker.ExitSent && worker.Sent.Count == 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when some worker holds tasks it has not started behind another one (an idle worker may yet get them).</summary>
    private bool HasTasksWaitingBehindLocked()
    {
        foreach (var worker in _workers)
        {
            if (worker.RevokeSent || worker.Sent.Count >= 2)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a worker that ended must be replaced: the pool runs, or it is closed with work left.</summary>
    private bool NeedsWorkersLocked() =>
        _state == ProcessPoolState.Running ||
        (_state == ProcessPoolState.Closed && (_queue.Count > 0 || _workers.Any(w => w.Sent.Count > 0)) && _workers.Count < Processes);

    /// <summary>Sends queued tasks to the least-loaded workers that can take more, and tells idle workers of a closed pool to exit.</summary>
    private void DispatchLocked()
    {
        if (_state == ProcessPoolState.Terminated)
        {
            return;
        }

        while (_queue.First is { } first)
        {
            PoolWorker? least = null;
            foreach (var worker in _workers)
            {
                if (worker.CanTake && (least is null || worker.Sent.Count < least.Sent.Count))
                {
                    least = worker;
                }
            }

            if (least is null)
            {
                break;
            }

            _queue.RemoveFirst();
            var task = first.Value;
            if (least.Defined.Add(task.Function))
            {
                WorkerProcess.RememberUsed(task.Function);
                WorkerMessages.WriteDefine(least.Outgoing, task.Function);
            }

            WorkerMessages.WriteRun(least.Outgoing, task.Id, task.Function, task.ArgumentsJson, exitAfter: false);
            least.Sent.Enqueue(task);
        }

        RebalanceLocked();
        var waitingBehind = HasTasksWaitingBehindLocked();
        foreach (var worker in _workers)
        {
            // An idle worker of a closed pool exits, unless tasks wait behind another's long task: it may get them yet.
            if (_state == ProcessPoolState.Closed && _queue.Count == 0 && !waitingBehind && worker.Connection is not null && worker.Sent.Count == 0 && !worker.ExitSent)
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

    private void CheckFinishedLocked()
    {
        if (_state != ProcessPoolState.Running && _workers.Count == 0 && _queue.Count == 0 && !_finished.IsSet)
        {
            _rebalanceTimer?.Dispose();
            _results.Complete();
            _finished.Set();
        }
    }

    /// <summary>A finished task as the ring of recent results keeps it.</summary>
    private readonly record struct FinishedTask(PoolTask Task, int? ProcessId, object? Value, Exception? Error);

    private void RaiseChanged()
    {
        if (Changed is { } changed)
        {
            try
            {
                changed(this, EventArgs.Empty);
            }
            catch (Exception)
            {
                // a view's handler must not break the pool
            }
        }
    }
}
