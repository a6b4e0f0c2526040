using Threadbook.Charts;
using XPlot.Plotly;

namespace Threadbook.Tests.Charts;

/// <summary>Small charts the chart tests render.</summary>
internal static class SampleCharts
{
    public static PlotlyChart ThreadPool(string title = "Thread pool") =>
        ChartBuilder.Lines(title, [0, 0.5, 1], [new LineSeries("threads", [2, 3, 4]), new LineSeries("queue length", [9, 6, 1])], "seconds", "count");
}
