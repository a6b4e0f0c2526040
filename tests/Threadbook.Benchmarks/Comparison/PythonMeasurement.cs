namespace Threadbook.Benchmarks.Comparison;

/// <summary>One line printed by <c>seed_bench.py</c>: <c>name&lt;TAB&gt;value&lt;TAB&gt;unit</c>.</summary>
internal sealed record PythonMeasurement(string Row, double Value, string Unit);
