using System.Diagnostics;

namespace Threadbook.Tests.Conformance;

/// <summary>The timing helpers of lock_tests.py and test.support, with their values.</summary>
internal static class LockTestTiming
{
    /// <summary>test.support.SHORT_TIMEOUT: how long a retry loop waits for something that should come soon.</summary>
    public static readonly TimeSpan ShortTimeout = TimeSpan.FromSeconds(30);

    /// <summary>test.support.LONG_TIMEOUT.</summary>
    public static readonly TimeSpan LongTimeout = TimeSpan.FromMinutes(5);

    /// <summary>lock_tests.wait_threads_blocked: an arbitrary sleep of 10 ms per thread, until they are blocked.</summary>
    public static void WaitThreadsBlocked(int threads) => Thread.Sleep(10 * threads);

    /// <summary>
    /// test.support.sleeping_retry(SHORT_TIMEOUT) around a condition: polls with a short sleep until it holds; fails the
    /// test when it never does.
    /// </summary>
    public static void WaitUntil(Func<bool> condition, string what, bool throwOnTimeout = true)
    {
        var clock = Stopwatch.StartNew();
        var delay = 1;
        while (!condition())
        {
            if (clock.Elapsed > ShortTimeout)
            {
                if (throwOnTimeout)
                {
                    throw new Xunit.Sdk.XunitException($"Timed out after {ShortTimeout.TotalSeconds:0} s waiting until {what}.");
                }

                return;
            }

            Thread.Sleep(delay);
            delay = Math.Min(delay * 2, 100);
        }
    }

    /// <summary>BaseTestCase.assertTimeout: at least 0.6 × expected (clocks are imprecise), below 10 × expected.</summary>
    public static void AssertTimeout(TimeSpan actual, TimeSpan expected)
    {
        actual.Should().BeGreaterThanOrEqualTo(expected * 0.6);
        actual.Should().BeLessThan(expected * 10.0);
    }

    /// <summary>Times <paramref name="action"/> (Python: two time.monotonic() calls around it).</summary>
    public static TimeSpan Time(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed;
    }
}
