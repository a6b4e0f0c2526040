using System.Diagnostics;

namespace Threadbook.Processes.Pool;

/// <summary>One call submitted to a <see cref="ProcessPool"/>, from submission to its result.</summary>
internal sealed class PoolTask
{
    private string? _call;

    public PoolTask(long id, WorkerFunction function, object?[] arguments, byte[] argumentsJson,
        Action<object?>? callback, Action<Exception>? errorCallback, ExecutionContext? context,
        object?[][]? chunk = null, Action<PoolTask, object?, Exception?>? finished = null, bool isInitializer = false)
    {
        Id = id;
        Chunk = chunk;
        Finished = finished;
        IsInitializer = isInitializer;
        Function = function;
        Arguments = arguments;
        ArgumentsJson = argumentsJson;
        Callback = callback;
        ErrorCallback = errorCallback;
        Context = context;
        Result = new AsyncResult(() => Call);
    }

    public long Id { get; }

    /// <summary>For a chunk (Python's <c>chunksize</c>): the argument arrays of its calls, run one after another in one worker; null for one call.</summary>
    public object?[][]? Chunk { get; }

    /// <summary>Told first when the task succeeds or fails (on the worker's reader thread): a map's result collects its chunks so.</summary>
    public Action<PoolTask, object?, Exception?>? Finished { get; }

    /// <summary>True for a worker's initializer run: it is no user task (not counted, not in results, not retried elsewhere).</summary>
    public bool IsInitializer { get; }

    public WorkerFunction Function { get; }

    public object?[] Arguments { get; }

    public byte[] ArgumentsJson { get; }

    public Action<object?>? Callback { get; }

    public Action<Exception>? ErrorCallback { get; }

    /// <summary>The submitter's execution context: callbacks and the worker's output while it runs go there.</summary>
    public ExecutionContext? Context { get; }

    public AsyncResult Result { get; }

    /// <summary>True once the worker said it started the function.</summary>
    public bool Started { get; set; }

    /// <summary>When the worker started it (the worker's Stopwatch ticks: the clock is system-wide).</summary>
    public long StartedAt { get; set; }

    /// <summary>When the worker finished it (its Stopwatch ticks), or 0 while it has not.</summary>
    public long FinishedAt { get; set; }

    /// <summary>How long it ran in its worker, or null when it did not start and finish there.</summary>
    public TimeSpan? Duration => Started && FinishedAt != 0 ? Stopwatch.GetElapsedTime(StartedAt, Math.Max(StartedAt, FinishedAt)) : null;

    /// <summary>Built only when someone needs it (a view, a trace, an error), not for every task.</summary>
    public string Call => _call ??= Chunk is { Length: > 1 } chunk
        ? $"{Function.DescribeCall(chunk[0])} … {Function.DescribeCall(chunk[^1])} (chunk of {chunk.Length})"
        : IsInitializer ? $"initializer {Function.DescribeCall(Arguments)}"
        : Function.DescribeCall(Arguments);
}
