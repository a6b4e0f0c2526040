namespace Threadbook.Benchmarks.Comparison;

/// <summary>The C# side of a comparison: BenchmarkDotNet's mean per operation for each row that produced one.</summary>
/// <param name="MeanNanosecondsByRow">Mean nanoseconds per operation, by comparison row name.</param>
/// <param name="Problems">Validation errors and benchmarks without a result; empty on a clean run.</param>
/// <param name="LogFilePath">BenchmarkDotNet's full log of the run.</param>
internal sealed record CSharpColumn(
    IReadOnlyDictionary<string, double> MeanNanosecondsByRow,
    IReadOnlyList<string> Problems,
    string? LogFilePath);
