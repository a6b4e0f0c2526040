using System.Diagnostics;
using System.Text;

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
        var startInfo = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"'{fileName}' did not start.");

        // Both streams are drained concurrently: a child blocked on a full stderr pipe would never exit.
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"'{fileName}' ran longer than {timeout.TotalSeconds:0} s and was stopped.");
        }

        return new ChildProcessResult(process.ExitCode, standardOutput.Result, standardError.Result);
    }
}
