using Threadbook.Hosting;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>Runs a program to completion with its output captured, or kills it when it overruns.</summary>
internal static class ChildProcess
{
    /// <summary>
    /// Runs <paramref name="fileName"/> and waits for it. Throws <see cref="System.ComponentModel.Win32Exception"/>
    /// when it cannot start and <see cref="TimeoutException"/> (after killing it) when it runs too long.
    /// </summary>
    public static ChildProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        using var process = new ObservedProcess(fileName, arguments) { Input = ProcessInput.Inherited, CaptureOutput = true }.Start();
        if (!process.WaitForExit(timeout))
        {
            process.Kill();
            process.WaitForExit(Timeout.InfiniteTimeSpan);
            throw new TimeoutException($"'{fileName}' ran longer than {timeout.TotalSeconds:0} s and was stopped.");
        }

        return new ChildProcessResult(process.ExitCode ?? -1, process.CapturedOutput, process.CapturedError);
    }
}
