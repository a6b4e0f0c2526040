using System.Net;
using Microsoft.DotNet.Interactive.Formatting;
using Threadbook.Charts;
using XPlot.Plotly;

namespace Threadbook.Interactive;

/// <summary>
/// Shows XPlot charts in a notebook: HTML that loads plotly.js itself (see <see cref="ChartHtml"/>; XPlot's own
/// inline HTML assumes plotly.js is already on the page) and a short text twin naming the title and series.
/// </summary>
public static class ChartFormatters
{
    private const string Html = "text/html";
    private const string PlainText = "text/plain";

    /// <summary>Registers the <see cref="PlotlyChart"/> formatters; calling it again is harmless.</summary>
    public static void Register()
    {
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(Safely(() => ChartHtml.Render(chart), WebUtility.HtmlEncode)), Html);
        Formatter.Register<PlotlyChart>((chart, writer) => writer.Write(Safely(() => ChartSummary.Of(chart).ToText(), text => text)), PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(PlotlyChart), Html, PlainText);
    }

    /// <summary>A formatter must never throw: a chart that cannot be shown says why instead.</summary>
    private static string Safely(Func<string> render, Func<string, string> encode)
    {
        try
        {
            return render();
        }
        catch (Exception e)
        {
            return encode($"(PlotlyChart could not be shown: {e.GetType().Name}: {e.Message})");
        }
    }
}
