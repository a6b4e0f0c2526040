namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>
/// The module-level functions of CPython's <c>_test_multiprocessing.py</c> that its pool tests send to workers, written
/// in C#. Workers load them from this test assembly, so they are public static methods of a public class.
/// </summary>
public static class PoolFunctions
{
    /// <summary>Python's <c>sqr(x)</c>.</summary>
    public static int Sqr(int x) => x * x;

    /// <summary>Python's <c>sqr(x, wait)</c>: sleeps <paramref name="wait"/> seconds first.</summary>
    public static int SqrAfter(int x, double wait)
    {
        Thread.Sleep(TimeSpan.FromSeconds(wait));
        return x * x;
    }

    /// <summary>Python's <c>mul(x, y)</c>.</summary>
    public static int Mul(int x, int y) => x * y;

    /// <summary>Python's <c>int</c> applied to a string: <c>int('a')</c> raises ValueError, <c>int.Parse("a")</c> FormatException.</summary>
    public static int ParseInt(string text) => int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Python's <c>time.sleep</c> (seconds), returning None as it does.</summary>
    public static object? Sleep(double seconds)
    {
        Thread.Sleep(TimeSpan.FromSeconds(seconds));
        return null;
    }

    /// <summary>Python's <c>raise_large_valuerror(wait)</c>: sleeps, then raises ValueError (ArgumentException here) with a 1 MiB message.</summary>
    public static int RaiseLargeValueError(double wait)
    {
        Thread.Sleep(TimeSpan.FromSeconds(wait));
        throw new ArgumentException(new string('x', 1024 * 1024));
    }

    /// <summary>Python's <c>identity(x)</c>.</summary>
    public static object? Identity(object? x) => x;

    /// <summary>Python's <c>_test_traceback</c>: <c>raise RuntimeError(123)</c> (InvalidOperationException here).</summary>
    public static int RaiseRuntimeError123() => throw new InvalidOperationException("123");

    /// <summary>Python's <c>_test_wrapped_exception</c>: <c>raise RuntimeError('foo')</c>.</summary>
    public static int RaiseRuntimeErrorFoo() => throw new InvalidOperationException("foo");

    /// <summary>Python's <c>raising()</c>: <c>raise KeyError("key")</c>.</summary>
    public static int RaiseKeyError() => throw new KeyNotFoundException("key");

    /// <summary>Python's <c>unpickleable_result()</c>: returns a lambda, which cannot travel back.</summary>
    public static Func<int> UnpickleableResult() => () => 42;

    /// <summary>
    /// Python's <c>test_worker_finalization_via_atexit_handler_of_multiprocessing</c> script, run in a child process: a pool
    /// kept in a global, used once, never closed, and the program ends.
    /// </summary>
    public static void LeavePoolOpenInAGlobal()
    {
        s_problem = new Threadbook.Processes.ProcessPool(1);
        s_problem.Map<int, double>(ToFloat, Enumerable.Range(0, 10));
    }

    /// <summary>Python's <c>float</c> on an int.</summary>
    public static double ToFloat(int i) => i;

    private static Threadbook.Processes.ProcessPool? s_problem;
}
