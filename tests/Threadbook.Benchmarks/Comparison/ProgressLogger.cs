using System.Text;
using BenchmarkDotNet.Loggers;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// BenchmarkDotNet's console output cut down to progress and problems: which benchmark is running, and any
/// warning or error. Every line still goes to BenchmarkDotNet's own log file.
/// </summary>
internal sealed class ProgressLogger(TextWriter output) : ILogger
{
    private static readonly string[] ProgressPrefixes = ["// Benchmark: ", "// ** Remained "];
    private static readonly LogKind[] ProblemKinds = [LogKind.Error, LogKind.Warning];

    private readonly StringBuilder _line = new();
    private LogKind? _lineKind;

    public string Id => nameof(ProgressLogger);

    public int Priority => 0;

    public void Write(LogKind logKind, string text)
    {
        _lineKind ??= logKind;
        _line.Append(text);
    }

    public void WriteLine()
    {
        var line = _line.ToString();
        if (_lineKind is { } kind && (ProblemKinds.Contains(kind) || ProgressPrefixes.Any(line.StartsWith)))
        {
            output.WriteLine(line);
        }

        _line.Clear();
        _lineKind = null;
    }

    public void WriteLine(LogKind logKind, string text)
    {
        Write(logKind, text);
        WriteLine();
    }

    public void Flush() => output.Flush();
}
