namespace Threadbook.Benchmarks.Comparison;

/// <summary>The parsed arguments of <c>compare [--quick] [row ...]</c>.</summary>
/// <param name="Quick">A smoke run: fewer and shorter iterations on both sides.</param>
/// <param name="Rows">The rows to run, in table order; every row when none was named.</param>
/// <param name="ShowHelp">Print the usage and the rows instead of running.</param>
internal sealed record CompareOptions(bool Quick, IReadOnlyList<ComparisonRow> Rows, bool ShowHelp)
{
    private const string QuickOption = "--quick";
    private static readonly string[] HelpOptions = ["--help", "-h"];

    public static string Usage(IReadOnlyList<ComparisonRow> knownRows) =>
        $"""
        Usage: dotnet run -c Release --project tests/Threadbook.Benchmarks -- compare [{QuickOption}] [row ...]

        Runs the C# benchmarks (BenchmarkDotNet, in-process, short job) and python/seed_bench.py, then prints
        C# / CPython ratios and writes them to artifacts/benchmarks/compare.md and compare.json.
        A CPython row name (e.g. rlock_acquire_release) selects every row compared with it.

          {QuickOption,-9} fewer, shorter iterations: a smoke run
          {"--help",-9} this text

        Rows:
        {string.Join(Environment.NewLine, knownRows.Select(row => $"  {row.Name,-32} {row.Compares}"))}

        Environment: THREADBOOK_PYTHON overrides the interpreter (default {CPythonRunner.DefaultInterpreter}).
        """;

    /// <summary>Parses the arguments after <c>compare</c>; throws <see cref="UsageException"/> on a bad one.</summary>
    public static CompareOptions Parse(IReadOnlyList<string> arguments, IReadOnlyList<ComparisonRow> knownRows)
    {
        var quick = false;
        var showHelp = false;
        var requestedNames = new List<string>();
        foreach (var argument in arguments)
        {
            if (argument == QuickOption)
            {
                quick = true;
            }
            else if (HelpOptions.Contains(argument))
            {
                showHelp = true;
            }
            else if (argument.StartsWith('-'))
            {
                throw new UsageException(
                    $"Unknown option '{argument}' for compare. Valid options: {QuickOption}, {string.Join(", ", HelpOptions)}.");
            }
            else
            {
                requestedNames.Add(argument);
            }
        }

        var unknownNames = requestedNames.Where(name => !knownRows.Any(row => Selects(name, row))).ToList();
        if (unknownNames.Count > 0)
        {
            throw new UsageException(
                $"Unknown row {string.Join(", ", unknownNames.Select(name => $"'{name}'"))}. " +
                $"Valid rows: {string.Join(", ", knownRows.Select(row => row.Name))}; " +
                $"a CPython row selects every row compared with it: {string.Join(", ", knownRows.Select(row => row.PythonRow).Distinct())}.");
        }

        var rows = requestedNames.Count == 0
            ? knownRows
            : knownRows.Where(row => requestedNames.Any(name => Selects(name, row))).ToList();
        return new CompareOptions(quick, rows, showHelp);
    }

    private static bool Selects(string name, ComparisonRow row) => name == row.Name || name == row.PythonRow;
}
