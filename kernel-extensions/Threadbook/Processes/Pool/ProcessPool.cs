using System.Diagnostics;
using Threadbook.Processes.Pool;
using Threadbook.Processes.Wire;
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
/// <para>Workers are started when the pool is made (taken from the warm spares of <see cref="WarmWorkers"/> when there are
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

    private readonly PoolResults _results;
    private readonly PoolDispatcher _dispatcher;
    private readonly PoolSupervisor _supervisor;

    /// <summary>Starts a pool of <paramref name="processes"/> worker processes (Python's <c>Pool(processes)</c>).</summary>
    /// <exception cref="FileNotFoundException">The worker program cannot be found (see <see cref="WarmWorkers.WorkerPath"/>).</exception>
    public ProcessPool(int processes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(processes, 1);
        Processes = processes;
        _results = new PoolResults();
        _dispatcher = new PoolDispatcher(processes, _results);
        _supervisor = new PoolSupervisor(this, _dispatcher, _results, ExecutionContext.Capture());
        lock (_dispatcher.Gate)
        {
            for (var i = 0; i < processes; i++)
            {
                _supervisor.AddWorkerLocked();
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
            lock (_dispatcher.Gate)
            {
                return _dispatcher.State;
            }
        }
    }

    /// <summary>The managed id of the thread that runs callbacks and error callbacks.</summary>
    public int ResultHandlerThreadId => _results.HandlerThreadId;

    /// <summary>Where workers' output lines go; null (the default) writes <c>[pid N] line</c> to the console.</summary>
    public Action<ProcessOutput>? Output { get; set; }

    /// <summary>The process ids of the current workers.</summary>
    public IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_dispatcher.Gate)
            {
                return _dispatcher.Workers.Select(w => w.Pid).ToArray();
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
        lock (_dispatcher.Gate)
        {
            if (_dispatcher.State != ProcessPoolState.Running)
            {
                throw new InvalidOperationException(
                    $"Pool not running: it was {(_dispatcher.State == ProcessPoolState.Closed ? "closed" : "terminated")}, so it takes no new tasks " +
                    $"({CallText.Of(workerFunction.MethodName, arguments)} was not queued). Start a new ProcessPool for more work.");
            }

            task = new PoolTask(_dispatcher.NextTaskIdLocked(), workerFunction, arguments, json, callback, errorCallback, ExecutionContext.Capture());
            _dispatcher.SubmitLocked(task);
        }

        if (_dispatcher.Broken is { } broken)
        {
            _results.Fail(task, new WorkerStartException($"The pool cannot run {task.Call}: its workers do not start. {broken.Message}"));
        }

        PoolTracing.Submitted(task);
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
        if (_dispatcher.Close())
        {
            RaiseChanged();
        }
    }

    /// <summary>Kills the workers now; tasks not finished fail with <see cref="PoolTerminatedException"/> (their error callbacks are not called, as in Python).</summary>
    public void Terminate()
    {
        if (!_dispatcher.Terminate(out var unfinished, out var workers))
        {
            return;
        }

        foreach (var worker in workers)
        {
            worker.Process.Kill();
        }

        foreach (var task in unfinished)
        {
            _results.Terminated(task);
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
        if (!_dispatcher.Finished.Wait(timeout))
        {
            return false;
        }

        var left = timeout == Timeout.InfiniteTimeSpan ? timeout : timeout - Stopwatch.GetElapsedTime(started);
        return _results.Join(left < TimeSpan.Zero ? TimeSpan.Zero : left);
    }

    /// <summary>What the pool is doing now: its workers, the queue, the counts, the last results.</summary>
    public PoolSnapshot Snapshot()
    {
        var recent = _results.Recent();
        lock (_dispatcher.Gate)
        {
            return new PoolSnapshot(
                _dispatcher.State,
                Processes,
                [.. _dispatcher.Workers.Concat(_dispatcher.Ended).OrderBy(w => w.Number).Select(w => w.Snapshot())], // a table reads worker 1, 2, 3 …
                _dispatcher.WaitingLocked,
                _dispatcher.Submitted,
                _results.Completed,
                _results.Failed,
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
    public string ToHtml() => PoolTables.Of(this).ToHtml();

    /// <inheritdoc />
    public string ToText() => PoolTables.Of(this).ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();

    /// <summary>How many tasks were taken back from a worker busy with a long task and given to a free one (for tests).</summary>
    internal long TasksTakenBack
    {
        get
        {
            lock (_dispatcher.Gate)
            {
                return _dispatcher.TasksTakenBack;
            }
        }
    }

    /// <summary>Tells a view something changed; a handler's exception never reaches the pool.</summary>
    internal void RaiseChanged()
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
