using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Threadbook.Rendering;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// The result of one <c>compare</c> run, rendered three ways from the same cells: aligned text for the
/// console, markdown and JSON for <c>artifacts/benchmarks/</c>.
/// </summary>
internal sealed class ComparisonReport
{
    private const string Missing = "—";

    private static readonly string[] Headers = ["operation", "C#", "CPython", "C#/CPython", "speed-up"];

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keeps "µs" readable in the file
    };

    private readonly CSharpColumn _csharp;
    private readonly CPythonColumn _cpython;
    private readonly bool _quick;
    private readonly DateTimeOffset _finishedAt = DateTimeOffset.UtcNow;

    public ComparisonReport(IReadOnlyList<ComparisonRow> rows, CSharpColumn csharp, CPythonColumn cpython, bool quick)
    {
        _csharp = csharp;
        _cpython = cpython;
        _quick = quick;
        Lines = rows.Select(ToLine).ToList();
    }

    public IReadOnlyList<ComparisonLine> Lines { get; }

    /// <summary>True when a benchmark or the script failed; a missing interpreter alone is not a failure.</summary>
    public bool HasFailures => _csharp.Problems.Count > 0 || _cpython.IsFailure;

    public string ToText()
    {
        var table = new Table(Headers);
        foreach (var cells in CellsByLine())
        {
            table.AddRow(cells);
        }

        var text = new StringBuilder();
        text.AppendLine(Title);
        text.AppendLine(table.ToText());
        text.AppendLine();
        AppendLegendAndNotes(text, bullet: "  ");
        return text.ToString().TrimEnd();
    }

    public string ToMarkdown()
    {
        var markdown = new StringBuilder();
        markdown.AppendLine($"# {Title}").AppendLine();
        foreach (var fact in EnvironmentFacts)
        {
            markdown.AppendLine($"- {fact}");
        }

        markdown.AppendLine();
        markdown.AppendLine(MarkdownRow(Headers));
        markdown.AppendLine(MarkdownRow(Headers.Select(_ => "---")));
        foreach (var cells in CellsByLine())
        {
            markdown.AppendLine(MarkdownRow(cells));
        }

        markdown.AppendLine();
        AppendLegendAndNotes(markdown, bullet: "- ");
        return markdown.ToString();
    }

    /// <summary>The same facts as JSON; "Csharp"/"Cpython" are spelled so that camel case gives "csharp"/"cpython".</summary>
    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            FinishedAtUtc = _finishedAt,
            Mode = _quick ? "quick" : "full",
            Machine = new { Environment.ProcessorCount, Os = RuntimeInformation.OSDescription },
            Dotnet = RuntimeInformation.FrameworkDescription,
            Cpython = new { _cpython.Interpreter, _cpython.Version, _cpython.SkippedReason },
            Rows = Lines.Select(line => new
            {
                line.Row.Name,
                line.Row.Compares,
                Unit = line.Row.Unit.Symbol,
                CsharpBenchmark = line.Row.BenchmarkDisplayName,
                line.Row.PythonRow,
                Csharp = line.CSharp,
                Cpython = line.CPython,
                line.TimeRatio,
                line.SpeedUp,
            }),
            _csharp.Problems,
            BenchmarkDotNetLog = _csharp.LogFilePath,
        },
        JsonOptions);

    private string Title => $"C# vs CPython, time per operation ({(_quick ? "quick" : "full")} run)";

    private IEnumerable<string> EnvironmentFacts =>
    [
        $"finished {_finishedAt:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}",
        $"C#: {RuntimeInformation.FrameworkDescription}, BenchmarkDotNet in-process, {(_quick ? "quick" : "short")} job",
        $"CPython: {_cpython.Version ?? "not run"} ({_cpython.Interpreter})",
    ];

    private ComparisonLine ToLine(ComparisonRow row)
    {
        double? csharp = _csharp.MeanNanosecondsByRow.TryGetValue(row.Name, out var nanoseconds)
            ? row.Unit.FromNanoseconds(nanoseconds)
            : null;
        if (!_cpython.Measurements.TryGetValue(row.PythonRow, out var measurement))
        {
            return new ComparisonLine(row, csharp, null);
        }

        if (measurement.Unit != row.Unit.Symbol)
        {
            throw new InvalidOperationException(
                $"seed_bench.py row '{row.PythonRow}' is in '{measurement.Unit}' but comparison row '{row.Name}' " +
                $"expects '{row.Unit.Symbol}'; make the script and ComparisonRows agree.");
        }

        return new ComparisonLine(row, csharp, measurement.Value);
    }

    private IEnumerable<string[]> CellsByLine() => Lines.Select(line => new[]
    {
        line.Row.Name,
        WithUnit(line.CSharp, line.Row.Unit),
        WithUnit(line.CPython, line.Row.Unit),
        Format(line.TimeRatio),
        line.SpeedUp is { } speedUp ? $"{Format(speedUp)}×" : Missing,
    });

    private void AppendLegendAndNotes(StringBuilder text, string bullet)
    {
        foreach (var line in Lines)
        {
            text.AppendLine($"{bullet}{line.Row.Name}: {line.Row.Compares}");
        }

        if (_cpython.SkippedReason is { } reason)
        {
            text.AppendLine($"{bullet}CPython column skipped: {reason}");
        }

        foreach (var problem in _csharp.Problems)
        {
            text.AppendLine($"{bullet}C# problem: {problem}");
        }
    }

    private static string WithUnit(double? value, MeasurementUnit unit) =>
        value is null ? Missing : $"{Format(value)} {unit.Symbol}";

    /// <summary>Three significant digits without exponents: 1234, 123, 12.3, 1.23, 0.123, 0.0123.</summary>
    private static string Format(double? value)
    {
        if (value is not { } number)
        {
            return Missing;
        }

        var magnitude = Math.Abs(number);
        var decimals = magnitude switch
        {
            >= 100 => 0,
            >= 10 => 1,
            >= 1 => 2,
            0 => 0,
            _ => Math.Min(6, 2 - (int)Math.Floor(Math.Log10(magnitude))),
        };
        return number.ToString($"F{decimals}", CultureInfo.InvariantCulture);
    }

    private static string MarkdownRow(IEnumerable<string> cells) =>
        $"| {string.Join(" | ", cells.Select(cell => cell.Replace("|", "\\|", StringComparison.Ordinal)))} |";
}
