using BenchmarkDotNet.Running;
using Threadbook.Benchmarks.Comparison;

namespace Threadbook.Benchmarks;

/// <summary>
/// <c>compare ...</c> runs the C#-versus-CPython table; <c>explore</c> the interleaving explorer's report; anything else starting with <c>-</c> goes to
/// BenchmarkDotNet's own switcher (e.g. <c>--filter *</c>, <c>--list flat</c>).
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        try
        {
            if (args.Length > 0 && args[0] == CompareCommand.Name)
            {
                return CompareCommand.Run(args[1..]);
            }

            if (args.Length > 0 && args[0] == ExploreCommand.Name)
            {
                return ExploreCommand.Run(args[1..]);
            }

            if (args.Length > 0 && !args[0].StartsWith('-'))
            {
                throw new UsageException(
                    $"Unknown command '{args[0]}'. Valid: '{CompareCommand.Name} [--quick] [row ...]', '{ExploreCommand.Name} [--quick]', " +
                    "or BenchmarkDotNet options such as --filter '*' or --list flat.");
            }

            return RunBenchmarkSwitcher(args);
        }
        catch (UsageException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return 2;
        }
    }

    private static int RunBenchmarkSwitcher(string[] args)
    {
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args).ToList();
        var failed = summaries.Any(summary =>
            summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success));
        return failed ? 1 : 0;
    }
}
