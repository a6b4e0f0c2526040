using Threadbook.Introspection;

namespace Threadbook.Python;

/// <summary>What became of a <see cref="PythonProgram"/> run.</summary>
/// <param name="Interpreter">The interpreter that ran it (or was looked for).</param>
/// <param name="Ending">How the run ended.</param>
/// <param name="ExitCode">The exit code, when the program exited by itself.</param>
/// <param name="Elapsed">Wall time from start to end.</param>
/// <param name="Output">Everything written to standard output.</param>
/// <param name="Error">Everything written to standard error (tracebacks name the program <see cref="PythonProgram.SourceName"/>).</param>
public sealed record PythonRunResult(string Interpreter, PythonRunEnding Ending, int? ExitCode, TimeSpan Elapsed, string Output, string Error)
{
    /// <summary>The program's threads as sampled while it ran (<see cref="PythonProgram.SampleThreads"/>), or null.</summary>
    public CpuSampling? Sampling { get; init; }

    /// <summary>Why threads were asked for but not sampled (not Linux, no /proc), or null.</summary>
    public string? SamplingSkipped { get; init; }

    /// <summary>True when the program exited with code 0.</summary>
    public bool Succeeded => Ending == PythonRunEnding.Exited && ExitCode == 0;

    /// <summary>The Python traceback at the end of standard error, if the program died of an exception.</summary>
    public string? Traceback
    {
        get
        {
            var start = Error.LastIndexOf("Traceback (most recent call last):", StringComparison.Ordinal);
            return start < 0 ? null : Error[start..].TrimEnd();
        }
    }

    /// <summary>One line for people: how it ended and how long it took.</summary>
    public string Summary => Ending switch
    {
        PythonRunEnding.Exited => $"{Interpreter} exited with code {ExitCode} after {Elapsed.TotalSeconds:0.00} s",
        PythonRunEnding.TimedOut => $"{Interpreter} was still running after {Elapsed.TotalSeconds:0.0} s: it and its children were killed (raise --timeout if it needs longer)",
        PythonRunEnding.Cancelled => $"{Interpreter} was stopped after {Elapsed.TotalSeconds:0.0} s: the run was cancelled and its process tree killed",
        _ => $"No Python interpreter at '{Interpreter}': this Python cell was skipped. On Debian: {PythonProgram.InstallHint}; or point --python (or {PythonProgram.InterpreterVariable}) at another interpreter",
    };

    internal static PythonRunResult NotFound(string interpreter) =>
        new(interpreter, PythonRunEnding.InterpreterNotFound, null, TimeSpan.Zero, "", "");
}
