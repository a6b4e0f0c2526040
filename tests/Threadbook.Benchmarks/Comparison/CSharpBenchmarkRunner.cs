using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>Runs the C# benchmarks of the chosen rows with BenchmarkDotNet and reads their means.</summary>
internal static class CSharpBenchmarkRunner
{
    public static CSharpColumn Run(IReadOnlyList<ComparisonRow> rows, bool quick, string artifactsPath)
    {
        var wanted = rows.Select(row => (row.BenchmarkType, row.BenchmarkMethod)).ToHashSet();
        var config = ManualConfig.CreateEmpty()
            .AddJob(CompareJob(quick))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddExporter(MarkdownExporter.GitHub) // BenchmarkDotNet's own table, with error and deviation
            .AddLogger(new ProgressLogger(Console.Out))
            .AddFilter(new SimpleFilter(benchmark =>
                wanted.Contains((benchmark.Descriptor.Type, benchmark.Descriptor.WorkloadMethod.Name))))
            .WithArtifactsPath(artifactsPath)
            .WithOptions(ConfigOptions.JoinSummary);

        var summaries = BenchmarkRunner.Run(rows.Select(row => row.BenchmarkType).Distinct().ToArray(), config);

        var problems = summaries
            .SelectMany(summary => summary.ValidationErrors)
            .Where(error => error.IsCritical)
            .Select(error => $"BenchmarkDotNet validation: {error.Message}")
            .ToList();
        var meanNanosecondsByRow = new Dictionary<string, double>();
        foreach (var row in rows)
        {
            var report = summaries
                .SelectMany(summary => summary.Reports)
                .FirstOrDefault(report =>
                    report.BenchmarkCase.Descriptor.Type == row.BenchmarkType &&
                    report.BenchmarkCase.Descriptor.WorkloadMethod.Name == row.BenchmarkMethod);
            // ResultStatistics is already per operation: BenchmarkDotNet divides by OperationsPerInvoke.
            if (report is { Success: true, ResultStatistics: { } statistics })
            {
                meanNanosecondsByRow[row.Name] = statistics.Mean;
            }
            else
            {
                problems.Add($"{row.BenchmarkDisplayName} produced no result.");
            }
        }

        return new CSharpColumn(meanNanosecondsByRow, problems, summaries.FirstOrDefault()?.LogFilePath);
    }

    /// <summary>
    /// In-process (no generated project to build) and short, so a comparison takes a minute or two on two
    /// cores; BenchmarkDotNet's default job is for the plain switcher, when precision matters more than time.
    /// </summary>
    private static Job CompareJob(bool quick) =>
        Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 4)
            .WithIterationCount(quick ? 3 : 15)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 400))
            .WithId(quick ? "CompareQuick" : "Compare");
}
