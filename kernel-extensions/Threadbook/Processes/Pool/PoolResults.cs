using Threadbook.Introspection;
using Threadbook.Tracing;

namespace Threadbook.Processes.Pool;

/// <summary>
/// How a pool's tasks end: the counts, the ring of the last <see cref="ProcessPool.RecentResultsKept"/> results a view
/// lists, and the result-handler thread that runs callbacks and error callbacks in the order results arrive (a result
/// with a callback becomes ready after its callback ran, as in Python).
/// </summary>
internal sealed class PoolResults
{
    private readonly ResultHandlerThread _handler = new("threadbook pool result handler");
    private readonly FinishedTask[] _recent = new FinishedTask[ProcessPool.RecentResultsKept];
    private long _finishedCount;
    private long _completed;
    private long _failed;

    public int HandlerThreadId => _handler.ManagedThreadId;

    public long Completed => Interlocked.Read(ref _completed);

    public long Failed => Interlocked.Read(ref _failed);

    public void Succeed(PoolTask task, object? value)
    {
        task.Finished?.Invoke(task, value, null);
        Interlocked.Increment(ref _completed);
        RememberFinished(task, value, null);
        if (task.Callback is not { } callback)
        {
            task.Result.Succeed(value);
            return;
        }

        _handler.Post(() =>
        {
            RunCallback(task.Call, task.Context, () => callback(value));
            task.Result.Succeed(value);
        });
    }

    public void Fail(PoolTask task, Exception error)
    {
        task.Finished?.Invoke(task, null, error);
        Interlocked.Increment(ref _failed);
        RememberFinished(task, null, error);
        if (task.ErrorCallback is not { } errorCallback)
        {
            task.Result.Fail(error);
            return;
        }

        _handler.Post(() =>
        {
            RunCallback(task.Call, task.Context, () => errorCallback(error));
            task.Result.Fail(error);
        });
    }

    /// <summary>Runs <paramref name="callback"/> on the result-handler thread, in <paramref name="context"/>, after the callbacks queued before it; then <paramref name="then"/>.</summary>
    public void PostCallback(string label, ExecutionContext? context, Action callback, Action then) =>
        _handler.Post(() =>
        {
            RunCallback(label, context, callback);
            then();
        });

    /// <summary>The pool was terminated before <paramref name="task"/> finished: it fails, and its error callback is not called (as in Python).</summary>
    public void Terminated(PoolTask task)
    {
        var error = new PoolTerminatedException(task.Call);
        task.Finished?.Invoke(task, null, error);
        Interlocked.Increment(ref _failed);
        RememberFinished(task, null, error);
        task.Result.Fail(error);
    }

    /// <summary>No more callbacks will come: the handler thread ends after the queued ones.</summary>
    public void Complete() => _handler.Complete();

    public bool Join(TimeSpan timeout) => _handler.Join(timeout);

    /// <summary>The last finished tasks, oldest first, described for a view.</summary>
    public List<PoolFinishedTask> Recent()
    {
        FinishedTask[] kept;
        lock (_recent)
        {
            var count = (int)Math.Min(_finishedCount, ProcessPool.RecentResultsKept);
            kept = new FinishedTask[count];
            for (var i = 0; i < count; i++)
            {
                kept[i] = _recent[(_finishedCount - count + i) % ProcessPool.RecentResultsKept];
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
                var error when RemoteException.Of(error) is { } remote => $"{remote.RemoteTypeName[(remote.RemoteTypeName.LastIndexOf('.') + 1)..]}: {remote.RemoteMessage}",
                _ => Probe.Text(f.Error),
            },
            f.Task.Duration)).ToList();
    }

    /// <summary>Keeps the task in the ring of recent results; its text is made only when a snapshot asks (most never are).</summary>
    private void RememberFinished(PoolTask task, object? value, Exception? error)
    {
        lock (_recent)
        {
            _recent[_finishedCount % ProcessPool.RecentResultsKept] = new FinishedTask(task, task.Result.ProcessId, value, error);
            _finishedCount++;
        }
    }

    private static void RunCallback(string call, ExecutionContext? context, Action callback)
    {
        using var span = TraceRecorder.Active is not null ? TraceRecorder.Span($"callback of {call}") : default;
        var run = () =>
        {
            try
            {
                callback();
            }
            catch (Exception e)
            {
                Console.Error.WriteLine($"[pool] the callback of {call} threw {e.GetType().Name}: {e.Message}");
            }
        };
        if (context is not null)
        {
            ExecutionContext.Run(context, static state => ((Action)state!)(), run);
        }
        else
        {
            run();
        }
    }

    /// <summary>A finished task as the ring of recent results keeps it.</summary>
    private readonly record struct FinishedTask(PoolTask Task, int? ProcessId, object? Value, Exception? Error);
}
