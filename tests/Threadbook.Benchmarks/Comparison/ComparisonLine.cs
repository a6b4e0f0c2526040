namespace Threadbook.Benchmarks.Comparison;

/// <summary>One measured row: both sides in the row's unit, either missing when its side did not run.</summary>
internal sealed record ComparisonLine(ComparisonRow Row, double? CSharp, double? CPython)
{
    /// <summary>C# time over CPython time: below 1 means C# is faster.</summary>
    public double? TimeRatio => CSharp / CPython;

    /// <summary>CPython time over C# time: how many times faster C# is.</summary>
    public double? SpeedUp => CPython / CSharp;
}
