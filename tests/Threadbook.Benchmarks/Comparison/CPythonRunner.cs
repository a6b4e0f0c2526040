using System.ComponentModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>Runs <c>python/seed_bench.py</c> (copied beside this program) and reads its lines.</summary>
internal static class CPythonRunner
{
    public const string DefaultInterpreter = "/usr/bin/python3";
    public const string InterpreterVariable = "THREADBOOK_PYTHON";

    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(10);

    public static string ScriptPath { get; } = Path.Combine(AppContext.BaseDirectory, "python", "seed_bench.py");

    /// <summary>The interpreter named by <c>THREADBOOK_PYTHON</c>, else <see cref="DefaultInterpreter"/>.</summary>
    public static string Interpreter =>
        Environment.GetEnvironmentVariable(InterpreterVariable) is { Length: > 0 } configured ? configured : DefaultInterpreter;

    public static CPythonColumn Run(IReadOnlyCollection<string> pythonRows, bool quick)
    {
        var interpreter = Interpreter;
        ChildProcessResult versionRun;
        try
        {
            versionRun = ChildProcess.Run(interpreter, ["--version"], VersionTimeout);
        }
        catch (Win32Exception exception)
        {
            return CPythonColumn.Skipped(interpreter, null,
                $"cannot start '{interpreter}' ({exception.Message}); set {InterpreterVariable} to a Python 3 interpreter",
                isFailure: false);
        }

        // Python 2 printed its version on stderr; either way it is one line.
        var version = (versionRun.StandardOutput + versionRun.StandardError).Trim() is { Length: > 0 } versionLine ? versionLine : null;
        string[] arguments = [ScriptPath, .. quick ? ["--quick"] : Array.Empty<string>(), .. pythonRows];
        ChildProcessResult scriptRun;
        try
        {
            scriptRun = ChildProcess.Run(interpreter, arguments, ScriptTimeout);
        }
        catch (TimeoutException exception)
        {
            return CPythonColumn.Skipped(interpreter, version, exception.Message, isFailure: true);
        }

        if (scriptRun.ExitCode != 0)
        {
            return CPythonColumn.Skipped(interpreter, version,
                $"seed_bench.py exited with code {scriptRun.ExitCode}: {LastLines(scriptRun.StandardError, 5)}",
                isFailure: true);
        }

        var measurements = new Dictionary<string, PythonMeasurement>();
        foreach (var line in scriptRun.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseLine(line, out var measurement))
            {
                return CPythonColumn.Skipped(interpreter, version,
                    $"seed_bench.py printed a line that is not name<TAB>value<TAB>unit: '{line}'", isFailure: true);
            }

            measurements[measurement.Row] = measurement;
        }

        var missingRows = pythonRows.Where(row => !measurements.ContainsKey(row)).ToList();
        if (missingRows.Count > 0)
        {
            return CPythonColumn.Skipped(interpreter, version,
                $"seed_bench.py printed no line for {string.Join(", ", missingRows)}", isFailure: true);
        }

        return new CPythonColumn(interpreter, version, measurements, SkippedReason: null, IsFailure: false);
    }

    private static bool TryParseLine(string line, [NotNullWhen(true)] out PythonMeasurement? measurement)
    {
        var fields = line.Split('\t');
        if (fields.Length == 3 && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            measurement = new PythonMeasurement(fields[0], value, fields[2]);
            return true;
        }

        measurement = null;
        return false;
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no error output)" : string.Join(" | ", lines.TakeLast(count));
    }
}
