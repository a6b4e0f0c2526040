using System.Diagnostics;
using System.Globalization;
using System.Text;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Threadbook.Benchmarks.Comparison;
using Threadbook.Exploration;

namespace Threadbook.Benchmarks;

/// <summary>
/// <c>explore [--quick]</c>: the interleaving explorer's own report (it has no CPython counterpart, so it is not a row
/// of <c>compare</c>): schedules per second on two small programs, the time to exhaust the two-thread counter and to
/// find the notes' race, each against its goal, plus the first exploration of a fresh process (cold). Prints the report
/// and writes it to <c>artifacts/benchmarks/explore.md</c>.
/// </summary>
internal static class ExploreCommand
{
    public const string Name = "explore";

    private const double SchedulesPerSecondGoal = 10_000;
    private const double RaceFoundGoalMilliseconds = 100;

    /// <summary>Returns the exit code: 0 when every benchmark ran (goals missed are reported, not failed), 1 otherwise.</summary>
    public static int Run(IReadOnlyList<string> arguments)
    {
        var quick = false;
        foreach (var argument in arguments)
        {
            switch (argument)
            {
                case "--quick":
                    quick = true;
                    break;
                case "--help" or "-h":
                    Console.WriteLine($"{Name} [--quick]: time the interleaving explorer (schedules/s, time to exhaust the two-thread counter, time to find the notes' race) and check its goals.");
                    return 0;
                default:
                    throw new UsageException($"Unknown option '{argument}' for '{Name}'. Valid: --quick, --help.");
            }
        }

        var outputDirectory = Path.Combine(RepositoryRoot.Find(), "artifacts", "benchmarks");
        Directory.CreateDirectory(outputDirectory);

        // Before anything else has run the explorer in this process: what the first #!explore of a kernel pays.
        var cold = Stopwatch.StartNew();
        var first = Explorer.Explore(ExplorerBenchmarks.TwoThreadCounter, new ExplorationOptions { StopAtFirstBug = true });
        cold.Stop();

        var config = ManualConfig.CreateEmpty()
            .AddJob(Job(quick))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddExporter(MarkdownExporter.GitHub)
            .AddLogger(new ProgressLogger(Console.Out))
            .WithArtifactsPath(Path.Combine(outputDirectory, "BenchmarkDotNet"));
        var summary = BenchmarkRunner.Run<ExplorerBenchmarks>(config);

        var report = Report(summary, cold.Elapsed, first, quick, out var failed);
        var path = Path.Combine(outputDirectory, "explore.md");
        File.WriteAllText(path, report);
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"Written: {path}");
        return failed ? 1 : 0;
    }

    /// <summary>The same short in-process job as <c>compare</c>: a minute or so on two cores.</summary>
    private static Job Job(bool quick) =>
        BenchmarkDotNet.Jobs.Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(quick ? 1 : 4)
            .WithIterationCount(quick ? 3 : 15)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 100 : 400))
            .WithId(quick ? "ExploreQuick" : "Explore");

    private static string Report(Summary summary, TimeSpan cold, ExplorationResult first, bool quick, out bool failed)
    {
        double? Mean(string method) => summary.Reports
            .FirstOrDefault(report => report.BenchmarkCase.Descriptor.WorkloadMethod.Name == method)
            is { Success: true, ResultStatistics: { } statistics } ? statistics.Mean : null;

        var perCounterSchedule = Mean(nameof(ExplorerBenchmarks.TwoThreadCounterSchedule));
        var perLockedSchedule = Mean(nameof(ExplorerBenchmarks.ThreeThreadsWithALockSchedule));
        var exhaust = Mean(nameof(ExplorerBenchmarks.ExhaustTwoThreadCounter));
        var race = Mean(nameof(ExplorerBenchmarks.FindTheNotesRace));
        failed = perCounterSchedule is null || perLockedSchedule is null || exhaust is null || race is null;

        var text = new StringBuilder();
        text.AppendLine($"# The interleaving explorer ({(quick ? "quick" : "short")} run, {Environment.ProcessorCount} cores, load average {LoadAverage()})");
        text.AppendLine();
        text.AppendLine("| measurement | time | as a rate | goal | |");
        text.AppendLine("|---|---|---|---|---|");
        Rate("two-thread counter (`gl_num += 1` × 2), random walk", perCounterSchedule);
        Rate("three threads with a lock (12 steps), random walk", perLockedSchedule);
        Line("exhaust the two-thread counter (4 schedules, bug recorded)", exhaust, "", "—", null);
        Line("find the notes' race (stop at the first bug, recorded)", race, "", $"< {RaceFoundGoalMilliseconds:0} ms", race is { } r ? r / 1e6 < RaceFoundGoalMilliseconds : null);
        Line($"the same, first exploration in a fresh process (cold: JIT, thread start; {first.SchedulesExplored} schedules)", cold.TotalMilliseconds * 1e6, "", $"< {RaceFoundGoalMilliseconds:0} ms", cold.TotalMilliseconds < RaceFoundGoalMilliseconds);
        text.AppendLine();
        text.AppendLine("Per schedule, the explorer runs the program from the start on its reused runner threads; every read or write of a");
        text.AppendLine("shared variable and every traced-primitive operation is a scheduling point where the running thread either goes on");
        text.AppendLine("or hands the turn to the chosen one (a flag it spins on briefly, then a kernel wait). The rates depend on free cores:");
        text.AppendLine("on a busy machine each hand-off becomes a kernel wake-up.");
        return text.ToString();

        void Rate(string what, double? nanosecondsPerSchedule)
        {
            var perSecond = nanosecondsPerSchedule is { } ns ? 1e9 / ns : (double?)null;
            Line(what, nanosecondsPerSchedule, perSecond is { } rate ? $"{N(rate)} schedules/s" : "", $"≥ {N(SchedulesPerSecondGoal)} schedules/s", perSecond >= SchedulesPerSecondGoal);
        }

        void Line(string what, double? nanoseconds, string rate, string goal, bool? met)
        {
            var time = nanoseconds is { } ns ? Time(ns) : "no result";
            var verdict = met switch { true => "met", false => "NOT met", null => "" };
            text.AppendLine($"| {what} | {time} | {rate} | {goal} | {verdict} |");
        }
    }

    private static string Time(double nanoseconds) => nanoseconds switch
    {
        < 1e3 => $"{nanoseconds.ToString("0", CultureInfo.InvariantCulture)} ns",
        < 1e6 => $"{(nanoseconds / 1e3).ToString("0.0", CultureInfo.InvariantCulture)} µs",
        _ => $"{(nanoseconds / 1e6).ToString("0.00", CultureInfo.InvariantCulture)} ms",
    };

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}
