using System.Diagnostics;

namespace Threadbook.Processes.Pool;

/// <summary>One call submitted to a <see cref="ProcessPool"/>, from submission to its result.</summary>
internal sealed class PoolTask
{
    private string? _call;

    public PoolTask(long id, WorkerFunction function, object?[] arguments, byte[] argumentsJson,
        Action<object?>? callback, Action<Exception>? errorCallback, ExecutionContext? context)
    {
        Id = id;
        Function = function;
        Arguments = arguments;
        ArgumentsJson = argumentsJson;
        Callback = callback;
        ErrorCallback = errorCallback;
        Context = context;
        Result = new AsyncResult(() => Call);
    }

    public long Id { get; }

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
    public string Call => _call ??= Function.DescribeCall(Arguments);
}
