using Threadbook.Tests.Threading;

namespace Threadbook.Tests.Introspection;

/// <summary>Looks at a lock from the test's thread while another thread holds it: what the calling-thread-only properties cannot see.</summary>
internal static class AnotherThread
{
    /// <summary>Runs <paramref name="look"/> while a second thread is between <paramref name="enter"/> and <paramref name="exit"/>; the second thread always ends.</summary>
    public static void WhileHolding(Action enter, Action exit, Action look)
    {
        using var held = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = TestThread.Start("holder", () =>
        {
            enter();
            try
            {
                held.Set();
                release.Wait();
            }
            finally
            {
                exit();
            }
        });
        try
        {
            held.Wait(TestThread.JoinTimeout).Should().BeTrue("the other thread takes the lock");
            look();
        }
        finally
        {
            release.Set();
            holder.JoinAndRethrow();
        }
    }
}
