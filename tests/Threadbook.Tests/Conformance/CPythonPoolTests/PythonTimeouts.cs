namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>
/// The timeouts of CPython's <c>_test_multiprocessing.py</c>: with <c>CHECK_TIMINGS = False</c> (its default)
/// TIMEOUT1..3 are 0.1 s and timing assertions are off; <c>support.SHORT_TIMEOUT</c> is 30 s, <c>LONG_TIMEOUT</c> 5 min.
/// </summary>
internal static class PythonTimeouts
{
    public const double Timeout1 = 0.1;
    public const double Timeout2 = 0.1;
    public const double Delta = 0.1;
    public const double ShortTimeout = 30;
    public const double LongTimeout = 300;

    /// <summary>How long a test waits for something that must happen (Python's tests wait without a limit).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(ShortTimeout);
}
