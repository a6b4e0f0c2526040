using System.Reflection;
using BenchmarkDotNet.Attributes;

namespace Threadbook.Benchmarks.Comparison;

/// <summary>
/// One line of the C#-versus-CPython table: which BenchmarkDotNet method is the C# side, which row of
/// <c>python/seed_bench.py</c> is the CPython side, and the unit both are shown in.
/// </summary>
/// <param name="Name">What a person types to run this row, e.g. <c>event_pingpong</c>.</param>
/// <param name="Compares">One line saying which C# code stands against which Python code.</param>
/// <param name="BenchmarkType">The class holding the C# benchmark.</param>
/// <param name="BenchmarkMethod">The <c>[Benchmark]</c> method in <paramref name="BenchmarkType"/>.</param>
/// <param name="PythonRow">The row name in <c>seed_bench.py</c>'s <c>ROWS</c>.</param>
/// <param name="Unit">The unit of both columns.</param>
internal sealed record ComparisonRow(
    string Name,
    string Compares,
    Type BenchmarkType,
    string BenchmarkMethod,
    string PythonRow,
    MeasurementUnit Unit)
{
    /// <summary><c>Type.Method</c>, as BenchmarkDotNet names the benchmark.</summary>
    public string BenchmarkDisplayName => $"{BenchmarkType.Name}.{BenchmarkMethod}";

    /// <summary>Throws when the declared method is missing or is not a benchmark: a mistake in the declaration.</summary>
    public void EnsureBenchmarkExists()
    {
        var method = BenchmarkType.GetMethod(BenchmarkMethod, BindingFlags.Public | BindingFlags.Instance);
        if (method?.GetCustomAttribute<BenchmarkAttribute>() is null)
        {
            throw new InvalidOperationException(
                $"Comparison row '{Name}' names {BenchmarkDisplayName}, which is not a public [Benchmark] method.");
        }
    }
}
