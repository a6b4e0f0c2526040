namespace Threadbook.Tests.Threading;

/// <summary>Waits for a state another thread brings about (a waiter blocking, a count changing), failing clearly if it never comes.</summary>
internal static class Eventually
{
    public static void True(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TestThread.JoinTimeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"Timed out after {TestThread.JoinTimeout.TotalSeconds:0} s waiting until {what}.");
            }

            Thread.Sleep(1);
        }
    }
}
