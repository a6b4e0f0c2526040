using Threadbook.Tests.Threading;

namespace Threadbook.Tests.Fibers;

/// <summary>
/// Runs a fiber or hub scenario on a thread of its own, so its main fiber is fresh and a bug that parks it forever
/// fails the test after <see cref="TestThread.JoinTimeout"/> instead of hanging the run.
/// </summary>
internal static class OnFreshThread
{
    public static void Run(Action scenario)
    {
        var thread = TestThread.Start("fiber-test-main", scenario);
        thread.Join();
        if (thread.Exception is { } exception)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(exception);
        }
    }

    public static T Run<T>(Func<T> scenario)
    {
        T result = default!;
        Run(() => { result = scenario(); });
        return result;
    }
}
