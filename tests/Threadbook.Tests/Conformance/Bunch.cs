using System.Collections.Concurrent;

namespace Threadbook.Tests.Conformance;

/// <summary>
/// lock_tests.py's <c>Bunch</c> (shared by the lock and barrier suites), written for C#: starts <c>n</c> threads running the same function, waits until all
/// have started, runs the test's body, then waits until all have finished and fails with what any of them threw.
/// With <c>waitBeforeExit</c> the threads do not end until <see cref="DoFinish"/> (or the end of the body).
/// </summary>
internal sealed class Bunch
{
    private readonly ConcurrentQueue<int> _started = new();
    private readonly ConcurrentQueue<int> _finished = new();
    private readonly ConcurrentQueue<Exception> _exceptions = new();
    private volatile bool _canExit;

    private Bunch(bool waitBeforeExit) => _canExit = !waitBeforeExit;

    public int StartedCount => _started.Count;

    public int FinishedCount => _finished.Count;

    /// <summary>Python's <c>with Bunch(func, n) as bunch: body(bunch)</c>.</summary>
    public static void Run(Action func, int n, Action<Bunch>? body = null, bool waitBeforeExit = false)
    {
        var bunch = new Bunch(waitBeforeExit);
        var threads = new List<Thread>();
        try
        {
            for (var i = 0; i < n; i++)
            {
                var thread = new Thread(() => bunch.Task(func))
                {
                    Name = $"bunch-{i}",
                    // A thread a failed test leaves blocked must not keep the test host alive.
                    IsBackground = true,
                };
                threads.Add(thread);
                thread.Start();
            }

            LockTestTiming.WaitUntil(() => bunch.StartedCount >= n, "every thread of the bunch started");
            body?.Invoke(bunch);
        }
        catch
        {
            // The threads must not wait for a DoFinish the failed body will never make.
            bunch.DoFinish();
            throw;
        }

        LockTestTiming.WaitUntil(() => bunch.FinishedCount >= n, "every thread of the bunch finished");
        foreach (var thread in threads)
        {
            thread.Join(LockTestTiming.ShortTimeout);
        }

        if (!bunch._exceptions.IsEmpty)
        {
            throw new AggregateException("Threads of the bunch threw.", bunch._exceptions);
        }
    }

    /// <summary>Lets threads built with <c>waitBeforeExit</c> end.</summary>
    public void DoFinish() => _canExit = true;

    private void Task(Action func)
    {
        _started.Enqueue(Environment.CurrentManagedThreadId);
        try
        {
            func();
        }
        catch (Exception exception)
        {
            _exceptions.Enqueue(exception);
        }
        finally
        {
            _finished.Enqueue(Environment.CurrentManagedThreadId);
            LockTestTiming.WaitUntil(() => _canExit, "the bunch was allowed to finish", throwOnTimeout: false);
        }
    }
}
