namespace Threadbook.Processes.Pool;

/// <summary>
/// The one result of a <see cref="ProcessPool.MapAsync{TItem, TResult}"/> (Python's <c>MapResult</c>): collects its
/// tasks' values in item order (a chunk's values are a list), succeeds with them all once the last task finished, and
/// fails as soon as one task fails (Python's fail-fast: the others still run). Its callback or error callback runs on
/// the pool's result-handler thread before the result becomes ready.
/// </summary>
internal sealed class PoolMapResult<TResult>
{
    private readonly object _gate = new();
    private readonly PoolResults _results;
    private readonly Action<IReadOnlyList<TResult>>? _callback;
    private readonly Action<Exception>? _errorCallback;
    private readonly ExecutionContext? _context;
    private readonly Dictionary<long, (int First, int Count)> _slots = [];
    private readonly List<(PoolTask Task, object? Value, Exception? Error)> _early = [];
    private bool _expected;
    private TResult[] _values = [];
    private int _left;
    private bool _done;

    public PoolMapResult(string call, PoolResults results, Action<IReadOnlyList<TResult>>? callback, Action<Exception>? errorCallback, ExecutionContext? context)
    {
        _results = results;
        _callback = callback;
        _errorCallback = errorCallback;
        _context = context;
        Result = new AsyncResult(() => call);
    }

    public AsyncResult Result { get; }

    /// <summary>Says where each task's values go (task id → first item, count); call before any task can finish.</summary>
    public void Expect(IReadOnlyList<(long TaskId, int Count)> tasks)
    {
        lock (_gate)
        {
            var first = 0;
            foreach (var (taskId, count) in tasks)
            {
                _slots[taskId] = (first, count);
                first += count;
            }

            _values = new TResult[first];
            _left = tasks.Count;
            _expected = true;
        }

        if (tasks.Count == 0)
        {
            Result.Succeed(Array.Empty<TResult>()); // Python: an empty map is ready at once, without a callback
        }

        List<(PoolTask Task, object? Value, Exception? Error)> early;
        lock (_gate)
        {
            early = [.. _early];
            _early.Clear();
        }

        foreach (var (task, value, error) in early)
        {
            TaskFinished(task, value, error);
        }
    }

    /// <summary>A task of this map finished (its <see cref="PoolTask.Finished"/> hook).</summary>
    public void TaskFinished(PoolTask task, object? value, Exception? error)
    {
        bool complete;
        lock (_gate)
        {
            if (!_expected)
            {
                _early.Add((task, value, error)); // it finished before all its siblings were queued: Expect replays it
                return;
            }

            if (_done || !_slots.TryGetValue(task.Id, out var slot))
            {
                return;
            }

            if (error is null)
            {
                if (task.Chunk is not null)
                {
                    var chunkValues = (System.Collections.IList)value!;
                    for (var i = 0; i < slot.Count; i++)
                    {
                        _values[slot.First + i] = (TResult)chunkValues[i]!;
                    }
                }
                else
                {
                    _values[slot.First] = (TResult)value!;
                }

                complete = --_left == 0;
            }
            else
            {
                complete = true;
            }

            _done = complete;
        }

        if (!complete)
        {
            return;
        }

        if (error is not null)
        {
            if (_errorCallback is { } errorCallback)
            {
                _results.PostCallback(Result.Call, _context, () => errorCallback(error), () => Result.Fail(error));
            }
            else
            {
                Result.Fail(error);
            }

            return;
        }

        IReadOnlyList<TResult> all = _values;
        if (_callback is { } callback)
        {
            _results.PostCallback(Result.Call, _context, () => callback(all), () => Result.Succeed(all));
        }
        else
        {
            Result.Succeed(all);
        }
    }
}
