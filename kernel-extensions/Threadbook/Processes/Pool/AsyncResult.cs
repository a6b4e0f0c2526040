using System.Runtime.CompilerServices;
using Threadbook.Introspection;
using Threadbook.Rendering;

namespace Threadbook.Processes;

/// <summary>
/// The result of <see cref="ProcessPool.ApplyAsync"/>, as Python's <c>AsyncResult</c>: <see cref="Get()"/> waits for the
/// value (or throws the task's exception), <see cref="Ready"/> and <see cref="Successful"/> ask without waiting. It is
/// also awaitable. When the task has a callback, the result becomes ready after the callback ran (as in Python).
/// </summary>
public sealed class AsyncResult : IRenderable
{
    private readonly TaskCompletionSource<object?> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal AsyncResult(Func<string> call) => CallText = call;

    /// <summary>The call, e.g. <c>Foo(3)</c>.</summary>
    public string Call => CallText();

    /// <summary>The process that ran (or runs) the task, once one started it.</summary>
    public int? ProcessId { get; internal set; }

    /// <summary>True once the task succeeded or failed.</summary>
    public bool Ready => _completion.Task.IsCompleted;

    /// <summary>True when the task succeeded.</summary>
    /// <exception cref="InvalidOperationException">It is not ready yet (Python raises <c>ValueError</c>).</exception>
    public bool Successful => Ready
        ? _completion.Task.IsCompletedSuccessfully
        : throw new InvalidOperationException($"The result of {Call} is not ready.");

    private Func<string> CallText { get; }

    /// <summary>Waits for the task and returns its value.</summary>
    /// <exception cref="Exception">The function raised an exception in the worker: it is thrown as its own type when this
    /// process can build it (<see cref="RemoteException.Of"/> gives the worker's pid and stack), else as a <see cref="RemoteException"/>.</exception>
    /// <exception cref="WorkerDiedException">The worker died while running it.</exception>
    /// <exception cref="PoolTerminatedException">The pool was terminated first.</exception>
    public object? Get() => _completion.Task.GetAwaiter().GetResult();

    /// <summary>Like <see cref="Get()"/>, waiting at most <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The task did not finish in time (it goes on running).</exception>
    public object? Get(TimeSpan timeout) =>
        Wait(timeout) ? Get() : throw new TimeoutException($"{Call} did not finish within {timeout.TotalSeconds:0.###} s.");

    /// <summary>Waits until the task is ready.</summary>
    public void Wait() => Wait(Timeout.InfiniteTimeSpan);

    /// <summary>Waits at most <paramref name="timeout"/>; true when the task is ready.</summary>
    public bool Wait(TimeSpan timeout)
    {
        try
        {
            return _completion.Task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true; // failed is ready too
        }
    }

    /// <summary>The result as a task.</summary>
    public Task<object?> AsTask() => _completion.Task;

    /// <summary>Makes <c>await result</c> work.</summary>
    public TaskAwaiter<object?> GetAwaiter() => _completion.Task.GetAwaiter();

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => $"AsyncResult {Call}: {StateText()}";

    internal void Succeed(object? value) => _completion.TrySetResult(value);

    internal void Fail(Exception error)
    {
        if (_completion.TrySetException(error))
        {
            _ = _completion.Task.Exception; // observed: a result nobody asks for must not be reported as unobserved
        }
    }

    private string StateText() => !Ready ? "not ready"
        : _completion.Task.IsCompletedSuccessfully ? $"succeeded: {Probe.Text(_completion.Task.Result)}"
        : $"failed: {Probe.Text(_completion.Task.Exception!.InnerException!)}";

    private FactView View() => new(
        () => $"AsyncResult of {Call}",
        () =>
        [
            ("state", StateText()),
            ("process", ProcessId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not started yet"),
        ]);
}
