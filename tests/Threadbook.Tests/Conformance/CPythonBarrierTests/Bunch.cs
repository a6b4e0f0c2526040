using System.Diagnostics;

namespace Threadbook.Tests.Conformance.CPythonBarrierTests;

/// <summary>
/// CPython's <c>lock_tests.Bunch</c>, written for C#: <c>using (new Bunch(f, n))</c> starts <c>n</c> threads running
/// <c>f</c> and waits until all have started; leaving the block waits until all have finished and then fails with what
/// their bodies threw (Python raises an <c>ExceptionGroup</c>). Waits are bounded by Python's <c>support.SHORT_TIMEOUT</c>.
/// </summary>
internal sealed class Bunch : IDisposable
{
    /// <summary>Python's <c>support.SHORT_TIMEOUT</c>.</summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(30);

    private readonly Action _body;
    private readonly Thread[] _threads;
    private readonly List<Exception> _exceptions = [];
    private readonly ManualResetEventSlim _canExit;
    private int _started;
    private int _finished;

    public Bunch(Action body, int count, bool waitBeforeExit = false)
    {
        _body = body;
        _canExit = new ManualResetEventSlim(!waitBeforeExit);
        _threads = Enumerable.Range(0, count).Select(i => new Thread(Task) { Name = $"bunch-{i}", IsBackground = true }).ToArray();
        foreach (var thread in _threads)
        {
            thread.Start();
        }

        SleepingRetry(() => Volatile.Read(ref _started) >= count, "all threads of the bunch started");
    }

    /// <summary>How many threads have finished their body.</summary>
    public int Finished => Volatile.Read(ref _finished);

    /// <summary>Lets threads created with <c>waitBeforeExit</c> end.</summary>
    public void DoFinish() => _canExit.Set();

    public void Dispose()
    {
        SleepingRetry(() => Finished >= _threads.Length, "all threads of the bunch finished");
        foreach (var thread in _threads)
        {
            thread.Join(ShortTimeout);
        }

        _canExit.Dispose();
        lock (_exceptions)
        {
            if (_exceptions.Count > 0)
            {
                throw new AggregateException($"{_exceptions.Count} thread(s) of the bunch threw", _exceptions);
            }
        }
    }

    /// <summary>Python's <c>support.sleeping_retry(SHORT_TIMEOUT)</c> loop: polls until <paramref name="done"/>, failing after the timeout.</summary>
    public static void SleepingRetry(Func<bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!done())
        {
            if (clock.Elapsed > ShortTimeout)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {ShortTimeout.TotalSeconds:0} s waiting until {what}.");
            }

            Thread.Sleep(1);
        }
    }

    private void Task()
    {
        Interlocked.Increment(ref _started);
        try
        {
            _body();
        }
        catch (Exception exception)
        {
            lock (_exceptions)
            {
                _exceptions.Add(exception);
            }
        }
        finally
        {
            Interlocked.Increment(ref _finished);
            _canExit.Wait(ShortTimeout);
        }
    }
}
