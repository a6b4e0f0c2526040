using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Threadbook.Fibers;

/// <summary>A <see cref="Coroutine"/> whose function returns a value: read it from <see cref="Result"/> once it has ended (gevent: <c>value</c>, <c>get()</c>).</summary>
/// <typeparam name="T">What the function returns.</typeparam>
public sealed class Coroutine<T> : Coroutine
{
    internal Coroutine(Hub hub, Func<Task<T>> run, string? name)
        : base(hub, run, name)
    {
    }

    /// <summary>Completes with the function's result when the coroutine ends (or with its exception or cancellation).</summary>
    public new Task<T> Task => Source.Task;

    /// <summary>
    /// What the function returned. Rethrows the exception the coroutine ended with (gevent's <c>get()</c>), and throws
    /// <see cref="InvalidOperationException"/> while it has not ended.
    /// </summary>
    public T Result
    {
        get
        {
            if (State == CoroutineState.Succeeded)
            {
                return ((Task<T>)FunctionTask!).Result;
            }

            if (IsCompleted && Exception is { } exception)
            {
                ExceptionDispatchInfo.Throw(exception);
            }

            throw new InvalidOperationException($"Coroutine '{Name}' has not ended yet (it is {DescribeState()}): join it or await it first.");
        }
    }

    private protected override Task CompletionTask => Source.Task;

    private TaskCompletionSource<T> Source => CompletionSource(static () => new TaskCompletionSource<T>());

    /// <summary>Lets a coroutine <c>await</c> another coroutine and get its result.</summary>
    public new TaskAwaiter<T> GetAwaiter() => Task.GetAwaiter();

    private protected override void Complete(Task task)
    {
        var source = Source;
        switch (task.Status)
        {
            case TaskStatus.RanToCompletion:
                source.TrySetResult(((Task<T>)task).Result);
                break;
            case TaskStatus.Canceled:
                source.TrySetCanceled();
                break;
            default:
                source.TrySetException(task.Exception!.InnerExceptions);
                break;
        }
    }
}
