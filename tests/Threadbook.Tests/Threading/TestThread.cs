namespace Threadbook.Tests.Threading;

/// <summary>
/// A named background thread for tests: remembers what its body threw, and is joined with a timeout that
/// fails the test clearly instead of hanging it.
/// </summary>
internal sealed class TestThread
{
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(10);

    private readonly Thread _thread;

    private TestThread(string name, Action body)
    {
        _thread = new Thread(() =>
        {
            try
            {
                body();
            }
            catch (Exception exception)
            {
                Exception = exception;
            }
        })
        {
            Name = name,
            // A thread a failed test leaves blocked must not keep the test host alive.
            IsBackground = true,
        };
    }

    public string Name => _thread.Name!;

    public int ManagedThreadId => _thread.ManagedThreadId;

    public Thread Thread => _thread;

    public Exception? Exception { get; private set; }

    public static TestThread Start(string name, Action body)
    {
        var thread = new TestThread(name, body);
        thread._thread.Start();
        return thread;
    }

    /// <summary>Joins the thread, failing the test if it has not finished within <see cref="JoinTimeout"/>.</summary>
    public void Join()
    {
        if (!_thread.Join(JoinTimeout))
        {
            throw new Xunit.Sdk.XunitException($"Thread '{Name}' did not finish within {JoinTimeout.TotalSeconds:0} s (it is probably blocked).");
        }
    }

    /// <summary>Joins the thread and rethrows what its body threw, so a failure inside it fails the test.</summary>
    public void JoinAndRethrow()
    {
        Join();
        if (Exception is not null)
        {
            throw new Xunit.Sdk.XunitException($"Thread '{Name}' failed: {Exception}");
        }
    }

    /// <summary>Joins every thread (all of them, even when one fails), then reports the first that did not finish.</summary>
    public static void JoinAll(params TestThread[] threads)
    {
        var late = threads.Where(thread => !thread._thread.Join(JoinTimeout)).Select(thread => thread.Name).ToList();
        if (late.Count > 0)
        {
            throw new Xunit.Sdk.XunitException($"Threads did not finish within {JoinTimeout.TotalSeconds:0} s: {string.Join(", ", late)}.");
        }
    }
}
