using Threadbook.Charts;
using Threadbook.Rendering;
using XPlot.Plotly;

namespace Threadbook.Interactive;

/// <summary>
/// Shows XPlot charts in a notebook: HTML that loads plotly.js itself (see <see cref="ChartHtml"/>; XPlot's own
/// inline HTML assumes plotly.js is already on the page) and a short text twin naming the title and series.
/// </summary>
public static class ChartFormatters
{
    /// <summary>Registers the <see cref="PlotlyChart"/> formatters; calling it again is harmless.</summary>
    public static void Register() => ThreadbookFormatters.RegisterRenderable<PlotlyChart>(chart => new ChartView(chart));

    /// <summary>A chart as Threadbook's two renderings.</summary>
    private sealed class ChartView(PlotlyChart chart) : IRenderable
    {
        public string ToHtml() => ChartHtml.Render(chart);

        public string ToText() => ChartSummary.Of(chart).ToText();
    }
}
