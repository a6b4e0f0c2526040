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
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processes"/> is below 1 ("Number of processes must be at least 1").</exception>
    /// <exception cref="FileNotFoundException">The worker program cannot be found (see <see cref="WarmWorkers.WorkerPath"/>).</exception>
    public ProcessPool(int processes)
        : this(processes, initializer: null)
    {
    }

    /// <summary>
    /// Starts a pool of <paramref name="processes"/> workers (Python's <c>Pool(processes, initializer, initargs,
    /// maxtasksperchild)</c>). Each worker, and each worker started later to replace one, first runs
    /// <paramref name="initializer"/> with <paramref name="initargs"/> (a public static method, as for tasks). A worker
    /// that finished <paramref name="maxTasksPerChild"/> tasks (a chunk counts as one, as in Python) exits and a new one, with
    /// a new pid, takes its place; null keeps workers as long as the pool.
    /// </summary>
    /// <remarks>
    /// An initializer that throws ends its worker and a new one is started, as in Python; where Python does so for ever
    /// (and a task waits for ever), this pool gives up after three failures in a row: waiting and later tasks fail with a
    /// <see cref="WorkerStartException"/> whose inner exception is the initializer's.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="processes"/> is below 1, or <paramref name="maxTasksPerChild"/> is below 1 ("maxtasksperchild must be a positive int or None").</exception>
    /// <exception cref="ArgumentException">The initializer cannot run in another process, or its arguments do not fit it.</exception>
    public ProcessPool(int processes, Delegate? initializer, object?[]? initargs = null, int? maxTasksPerChild = null)
    {
        if (processes < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(processes), processes, "Number of processes must be at least 1");
        }

        if (maxTasksPerChild is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTasksPerChild), maxTasksPerChild, "maxtasksperchild must be a positive int or None");
        }

        if (initializer is null && initargs is { Length: > 0 })
        {
            throw new ArgumentException("initargs were given without an initializer to pass them to.", nameof(initargs));
        }

        var setup = initializer is null ? null : new PoolInitializer(initializer, initargs);
        Processes = processes;
        MaxTasksPerChild = maxTasksPerChild;
        _results = new PoolResults();
        _dispatcher = new PoolDispatcher(processes, maxTasksPerChild, _results);
        _supervisor = new PoolSupervisor(this, _dispatcher, _results, ExecutionContext.Capture(), setup);
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

    /// <summary>How many tasks a worker runs before a new worker replaces it (Python's <c>maxtasksperchild</c>); null: no limit.</summary>
    public int? MaxTasksPerChild { get; }

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
        return Submit(workerFunction, arguments, ProcessJson.SerializeArguments(arguments), null, callback, errorCallback, null).Result;
    }

    /// <summary>
    /// Runs <paramref name="function"/> on every item in the workers and returns the results in item order (Python's
    /// <c>map</c>: <see cref="MapAsync{TItem, TResult}"/> then <c>Get()</c>). The items are sent in chunks of
    /// <paramref name="chunksize"/> (one task each); by default one item per task, unlike Python's default (the items over four
    /// times the workers): this pool already sends short tasks several at a time on its own, and single-item tasks keep
    /// the live view's rows and the take-back of tasks waiting behind a long one.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    /// <exception cref="Exception">A call threw: the first failure to arrive, as its own type when this process can build it (see <see cref="RemoteException"/>); an exception of enumerating <paramref name="items"/> comes straight from here.</exception>
    public IReadOnlyList<TResult> Map<TItem, TResult>(Func<TItem, TResult> function, IEnumerable<TItem> items, int? chunksize = null) =>
        (IReadOnlyList<TResult>)MapAsync(function, items, chunksize).Get()!;

    /// <summary>
    /// Queues <paramref name="function"/> on every item and returns at once (Python's <c>map_async</c>): <c>Get()</c> gives
    /// the <c>IReadOnlyList&lt;TResult&gt;</c> in item order once all are done, or throws the first failure to arrive
    /// without waiting for the others (as in Python). <paramref name="callback"/> gets the list, or
    /// <paramref name="errorCallback"/> that failure, once, on the result-handler thread. The items are read here, now.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public AsyncResult MapAsync<TItem, TResult>(Func<TItem, TResult> function, IEnumerable<TItem> items, int? chunksize = null,
        Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        return SubmitMap(function, items.Select(item => new object?[] { item }).ToList(), chunksize, "Map", callback, errorCallback);
    }

    /// <summary>
    /// Like <see cref="Map{TItem, TResult}"/>, each item being the arguments of one call (Python's <c>starmap</c>):
    /// <c>pool.Starmap(Jobs.Mul, [(1, 2), (3, 4)])</c>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public IReadOnlyList<TResult> Starmap<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<(T1, T2)> items, int? chunksize = null) =>
        (IReadOnlyList<TResult>)StarmapAsync(function, items, chunksize).Get()!;

    /// <summary>Like <see cref="Starmap{T1, T2, TResult}"/> for a function of three arguments.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public IReadOnlyList<TResult> Starmap<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, IEnumerable<(T1, T2, T3)> items, int? chunksize = null) =>
        (IReadOnlyList<TResult>)StarmapAsync(function, items, chunksize).Get()!;

    /// <summary>Like <see cref="Starmap{T1, T2, TResult}"/> for any function, each element of <paramref name="argumentLists"/> being one call's arguments; the results come back as objects.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public IReadOnlyList<object?> Starmap(Delegate function, IEnumerable<object?[]> argumentLists, int? chunksize = null) =>
        (IReadOnlyList<object?>)StarmapAsync(function, argumentLists, chunksize).Get()!;

    /// <summary>The asynchronous <see cref="Starmap{T1, T2, TResult}"/> (Python's <c>starmap_async</c>); <c>Get()</c> gives an <c>IReadOnlyList&lt;TResult&gt;</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public AsyncResult StarmapAsync<T1, T2, TResult>(Func<T1, T2, TResult> function, IEnumerable<(T1, T2)> items, int? chunksize = null,
        Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        return SubmitMap(function, items.Select(item => new object?[] { item.Item1, item.Item2 }).ToList(), chunksize, "Starmap", callback, errorCallback);
    }

    /// <summary>The asynchronous <see cref="Starmap{T1, T2, T3, TResult}"/>; <c>Get()</c> gives an <c>IReadOnlyList&lt;TResult&gt;</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public AsyncResult StarmapAsync<T1, T2, T3, TResult>(Func<T1, T2, T3, TResult> function, IEnumerable<(T1, T2, T3)> items, int? chunksize = null,
        Action<IReadOnlyList<TResult>>? callback = null, Action<Exception>? errorCallback = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        return SubmitMap(function, items.Select(item => new object?[] { item.Item1, item.Item2, item.Item3 }).ToList(), chunksize, "Starmap", callback, errorCallback);
    }

    /// <summary>The asynchronous <see cref="Starmap(Delegate, IEnumerable{object?[]}, int?)"/>; <c>Get()</c> gives an <c>IReadOnlyList&lt;object?&gt;</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+.").</exception>
    public AsyncResult StarmapAsync(Delegate function, IEnumerable<object?[]> argumentLists, int? chunksize = null,
        Action<IReadOnlyList<object?>>? callback = null, Action<Exception>? errorCallback = null)
    {
        ArgumentNullException.ThrowIfNull(argumentLists);
        return SubmitMap(function, argumentLists.ToList(), chunksize, "Starmap", callback, errorCallback);
    }

    /// <summary>
    /// Runs <paramref name="function"/> on every item and yields the results in item order, each as soon as it and those
    /// before it arrived, while later tasks still run (Python's <c>imap</c>). Every item is read and queued before this
    /// returns, in chunks of <paramref name="chunksize"/>. A call that threw is thrown (as its own type when this process
    /// can build it) when its position is reached, which ends the iteration (a C# iterator cannot go on after throwing;
    /// Python's <c>next()</c> can). An exception of enumerating <paramref name="items"/> is thrown at its chunk's position
    /// (the incomplete chunk is not run), as in Python.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+, not N").</exception>
    public IEnumerable<TResult> Imap<TItem, TResult>(Func<TItem, TResult> function, IEnumerable<TItem> items, int chunksize = 1)
    {
        var (tasks, readError) = SubmitIterable(function, items, chunksize);
        return InOrder(tasks, readError);

        static IEnumerable<TResult> InOrder(List<PoolTask> tasks, System.Runtime.ExceptionServices.ExceptionDispatchInfo? readError)
        {
            foreach (var task in tasks)
            {
                foreach (var value in ValuesOf<TResult>(task))
                {
                    yield return value;
                }
            }

            readError?.Throw();
        }
    }

    /// <summary>
    /// Runs <paramref name="function"/> on every item and yields each result as soon as it arrives (Python's
    /// <c>imap_unordered</c>), a chunk's results together. Every item is read and queued before this returns; a call that
    /// threw is thrown when its result arrives, and an exception of enumerating <paramref name="items"/> after the results of the chunks before it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunksize"/> is below 1 ("Chunksize must be 1+, not N").</exception>
    public IEnumerable<TResult> ImapUnordered<TItem, TResult>(Func<TItem, TResult> function, IEnumerable<TItem> items, int chunksize = 1)
    {
        var (tasks, readError) = SubmitIterable(function, items, chunksize);
        var arrived = new System.Collections.Concurrent.BlockingCollection<PoolTask>();
        foreach (var task in tasks)
        {
            task.Result.AsTask().ContinueWith(_ => arrived.Add(task), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return Arrivals(tasks.Count, arrived, readError);

        static IEnumerable<TResult> Arrivals(int total, System.Collections.Concurrent.BlockingCollection<PoolTask> arrived, System.Runtime.ExceptionServices.ExceptionDispatchInfo? readError)
        {
            for (var i = 0; i < total; i++)
            {
                foreach (var value in ValuesOf<TResult>(arrived.Take()))
                {
                    yield return value;
                }
            }

            readError?.Throw();
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

    /// <summary>Queues one task (a call, or a chunk of calls) unless the pool is not running; fails it at once when the pool is broken.</summary>
    private PoolTask Submit(WorkerFunction function, object?[] arguments, byte[] json, object?[][]? chunk,
        Action<object?>? callback, Action<Exception>? errorCallback, Action<PoolTask, object?, Exception?>? finished)
    {
        PoolTask task;
        lock (_dispatcher.Gate)
        {
            if (_dispatcher.State != ProcessPoolState.Running)
            {
                throw new InvalidOperationException(
                    $"Pool not running: it was {(_dispatcher.State == ProcessPoolState.Closed ? "closed" : "terminated")}, so it takes no new tasks " +
                    $"({CallText.Of(function.MethodName, arguments)} was not queued). Start a new ProcessPool for more work.");
            }

            task = new PoolTask(_dispatcher.NextTaskIdLocked(), function, arguments, json, callback, errorCallback, ExecutionContext.Capture(), chunk, finished);
            _dispatcher.SubmitLocked(task);
        }

        if (_dispatcher.Broken is { } broken)
        {
            _results.Fail(task, new WorkerStartException($"The pool cannot run {task.Call}: its workers do not start. {broken.Message}", broken));
        }

        PoolTracing.Submitted(task);
        RaiseChanged();
        return task;
    }

    /// <summary>Queues a map's calls in chunks; the tasks report to one <see cref="PoolMapResult{TResult}"/>.</summary>
    private AsyncResult SubmitMap<TResult>(Delegate function, List<object?[]> calls, int? chunksize, string verb,
        Action<IReadOnlyList<TResult>>? callback, Action<Exception>? errorCallback)
    {
        var workerFunction = WorkerFunction.From(function);
        CheckChunksize(chunksize);
        calls.ForEach(workerFunction.CheckArgumentCount);
        var size = chunksize ?? 1;
        var map = new PoolMapResult<TResult>($"{verb}({workerFunction.MethodName}, {calls.Count} items)", _results, callback, errorCallback, ExecutionContext.Capture());
        var expected = new List<(long TaskId, int Count)>();
        var tasks = new List<Func<PoolTask>>();
        for (var first = 0; first < calls.Count; first += size)
        {
            var chunk = calls.GetRange(first, Math.Min(size, calls.Count - first));
            tasks.Add(PrepareChunk(workerFunction, chunk, map.TaskFinished));
        }

        foreach (var submit in tasks)
        {
            var task = submit();
            expected.Add((task.Id, task.Chunk?.Length ?? 1));
        }

        map.Expect(expected);
        return map.Result;
    }

    /// <summary>Reads <paramref name="items"/> into chunks and queues each full chunk; an exception of reading it is kept for its position (Python's imap).</summary>
    private (List<PoolTask> Tasks, System.Runtime.ExceptionServices.ExceptionDispatchInfo? ReadError) SubmitIterable<TItem, TResult>(
        Func<TItem, TResult> function, IEnumerable<TItem> items, int chunksize)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (chunksize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunksize), chunksize, $"Chunksize must be 1+, not {chunksize}");
        }

        var workerFunction = WorkerFunction.From(function);
        var tasks = new List<PoolTask>();
        var chunk = new List<object?[]>(chunksize);
        using var reader = items.GetEnumerator();
        while (true)
        {
            try
            {
                if (!reader.MoveNext())
                {
                    break;
                }

                chunk.Add([reader.Current]);
            }
            catch (Exception e)
            {
                // Python's task handler hits it while reading: the incomplete chunk is dropped, the error takes its place.
                return (tasks, System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e));
            }

            if (chunk.Count == chunksize)
            {
                tasks.Add(PrepareChunk(workerFunction, chunk, null)());
                chunk = new List<object?[]>(chunksize);
            }
        }

        if (chunk.Count > 0)
        {
            tasks.Add(PrepareChunk(workerFunction, chunk, null)());
        }

        return (tasks, null);
    }

    /// <summary>A task of one call (a chunk of one is sent as a plain call) or of a chunk of calls, ready to submit.</summary>
    private Func<PoolTask> PrepareChunk(WorkerFunction function, List<object?[]> calls, Action<PoolTask, object?, Exception?>? finished)
    {
        if (calls.Count == 1)
        {
            var json = ProcessJson.SerializeArguments(calls[0]);
            return () => Submit(function, calls[0], json, null, null, null, finished);
        }

        var parts = calls.Select(ProcessJson.SerializeArguments).ToList();
        var chunkJson = new byte[parts.Sum(p => p.Length) + parts.Count + 1];
        var at = 0;
        chunkJson[at++] = (byte)'[';
        for (var i = 0; i < parts.Count; i++)
        {
            parts[i].CopyTo(chunkJson, at);
            at += parts[i].Length;
            chunkJson[at++] = (byte)(i == parts.Count - 1 ? ']' : ',');
        }

        var chunk = calls.ToArray();
        return () => Submit(function, chunk[0], chunkJson, chunk, null, null, finished);
    }

    /// <summary>The values of one finished task: its value, or a chunk's values in order; throws its exception.</summary>
    private static IEnumerable<TResult> ValuesOf<TResult>(PoolTask task)
    {
        var value = task.Result.Get();
        if (task.Chunk is null)
        {
            return [(TResult)value!];
        }

        return ((System.Collections.IList)value!).Cast<object?>().Select(v => (TResult)v!);
    }

    private static void CheckChunksize(int? chunksize)
    {
        if (chunksize is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(chunksize), chunksize, "Chunksize must be 1+.");
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
