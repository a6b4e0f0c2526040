namespace Threadbook.Charts;

/// <summary>One series (Plotly trace) of a chart, as <see cref="ChartSummary"/> lists it.</summary>
/// <param name="Name">The series' legend name, or <c>trace N</c> when it has none.</param>
/// <param name="Type">Plotly's trace type: <c>scatter</c> (lines and points), <c>bar</c>, <c>pie</c>, …</param>
/// <param name="PointCount">How many values the series has.</param>
public sealed record ChartTraceSummary(string Name, string Type, int PointCount);
