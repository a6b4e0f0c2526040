namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// The CPython side of a comparison: the measurements, or why there are none. A missing interpreter is a
/// skip (the C# column is still worth printing); a script that ran and failed is a failure.
/// </summary>
/// <param name="Interpreter">The interpreter that was (or would have been) used.</param>
/// <param name="Version">Its <c>--version</c> line, when it started.</param>
/// <param name="Measurements">By Python row name; empty when skipped.</param>
/// <param name="SkippedReason">Why the column is empty, or null when it is not.</param>
/// <param name="IsFailure">True when the script itself failed, as opposed to no interpreter being there.</param>
internal sealed record CPythonColumn(
    string Interpreter,
    string? Version,
    IReadOnlyDictionary<string, PythonMeasurement> Measurements,
    string? SkippedReason,
    bool IsFailure)
{
    public static CPythonColumn Skipped(string interpreter, string? version, string reason, bool isFailure) =>
        new(interpreter, version, new Dictionary<string, PythonMeasurement>(), reason, isFailure);
}
