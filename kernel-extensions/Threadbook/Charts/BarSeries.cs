namespace Threadbook.Charts;

/// <summary>One colour of bars in <see cref="ChartBuilder.GroupedBars"/>: a legend name and one value per category.</summary>
/// <param name="Name">The legend name, e.g. <c>C#</c>.</param>
/// <param name="Values">One value per category of the chart.</param>
public sealed record BarSeries(string Name, IReadOnlyList<double> Values);
