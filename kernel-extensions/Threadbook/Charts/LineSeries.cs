namespace Threadbook.Charts;

/// <summary>One line of <see cref="ChartBuilder.Lines"/>: a legend name and one value per x.</summary>
/// <param name="Name">The legend name, e.g. <c>threads</c>.</param>
/// <param name="Values">One value per x value of the chart.</param>
public sealed record LineSeries(string Name, IReadOnlyList<double> Values)
{
    /// <summary>Draws the line against a second vertical axis on the right, for a series on another scale (e.g. completed items next to thread counts).</summary>
    public bool OnRightAxis { get; init; }
}
