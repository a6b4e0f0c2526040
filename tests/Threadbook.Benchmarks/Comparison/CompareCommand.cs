using System.ComponentModel;
using System.Diagnostics;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// <c>compare [--quick] [row ...]</c>: runs both sides of the chosen rows in one run, prints the ratio table
/// and writes it to <c>artifacts/benchmarks/compare.md</c> and <c>compare.json</c>.
/// </summary>
internal static class CompareCommand
{
    public const string Name = "compare";

    /// <summary>Returns the exit code: 0 when every side that could run did, 1 on a failed benchmark or script.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        foreach (var row in ComparisonRows.All)
        {
            row.EnsureBenchmarkExists();
        }

        var options = CompareOptions.Parse(arguments, ComparisonRows.All);
        if (options.ShowHelp)
        {
            Console.WriteLine(CompareOptions.Usage(ComparisonRows.All));
            return 0;
        }

        var outputDirectory = Path.Combine(RepositoryRoot.Find(), "artifacts", "benchmarks");
        Directory.CreateDirectory(outputDirectory);
        var rowNames = string.Join(", ", options.Rows.Select(row => row.Name));

        if (TryRaisePriority() is { } priorityProblem)
        {
            Console.WriteLine($"note: both sides run at normal priority ({priorityProblem})");
        }

        // CPython first and alone, so neither side's measurements overlap the other's.
        var pythonRows = options.Rows.Select(row => row.PythonRow).Distinct().ToList();
        Console.WriteLine($"CPython: {CPythonRunner.Interpreter} {CPythonRunner.ScriptPath} {string.Join(' ', pythonRows)}");
        var stopwatch = Stopwatch.StartNew();
        var cpython = CPythonRunner.Run(pythonRows, options.Quick);
        Console.WriteLine(cpython.SkippedReason is null
            ? $"CPython: done in {stopwatch.Elapsed.TotalSeconds:0.0} s"
            : $"CPython column skipped: {cpython.SkippedReason}");

        Console.WriteLine($"C#: BenchmarkDotNet, {(options.Quick ? "quick" : "short")} in-process job: {rowNames}");
        stopwatch.Restart();
        var csharp = CSharpBenchmarkRunner.Run(
            options.Rows, options.Quick, Path.Combine(outputDirectory, "BenchmarkDotNet"));
        Console.WriteLine($"C#: done in {stopwatch.Elapsed.TotalSeconds:0.0} s; full log: {csharp.LogFilePath}");

        var report = new ComparisonReport(options.Rows, csharp, cpython, options.Quick);
        var markdownPath = Path.Combine(outputDirectory, "compare.md");
        var jsonPath = Path.Combine(outputDirectory, "compare.json");
        File.WriteAllText(markdownPath, report.ToMarkdown());
        File.WriteAllText(jsonPath, report.ToJson());

        Console.WriteLine();
        Console.WriteLine(report.ToText());
        Console.WriteLine();
        Console.WriteLine($"Written: {markdownPath}, {jsonPath}");
        return report.HasFailures ? 1 : 0;
    }

    /// <summary>
    /// BenchmarkDotNet raises this process to high priority while it measures, and a child process inherits
    /// the priority of the thread that starts it; raising it before Python starts keeps the two sides on an
    /// equal footing on a busy machine. Returns why it could not, or null.
    /// </summary>
    private static string? TryRaisePriority()
    {
        try
        {
            using var self = Process.GetCurrentProcess();
            self.PriorityClass = ProcessPriorityClass.High;
            return null;
        }
        catch (Exception exception) when (exception is Win32Exception or PlatformNotSupportedException)
        {
            return $"cannot raise the priority: {exception.Message}";
        }
    }
}
