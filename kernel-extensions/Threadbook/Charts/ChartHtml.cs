using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using XPlot.Plotly;

namespace Threadbook.Charts;

/// <summary>
/// Renders an XPlot chart as a self-contained HTML fragment that gets plotly.js itself, from the CDN, a URL
/// or an inlined file (<see cref="PlotlySource"/>), and then draws. It works in Jupyter (with or without
/// RequireJS on the page), JupyterLab, VS Code and static HTML pages; several charts on one page load plotly.js
/// once. Until the script runs, and when plotly.js cannot be loaded, the chart's area shows a plain message
/// that names where plotly.js was to come from.
/// </summary>
public static class ChartHtml
{
    /// <summary>The CSS class of every chart's outer element; its id is unique per rendering.</summary>
    public const string ChartClass = "threadbook-chart";

    private const string WhatToDo =
        "Point " + ChartOptions.SourceVariable + " (or ChartOptions.PlotlySource) at a copy you can reach: a URL, or a plotly.min.js file to inline.";

    /// <summary>Renders <paramref name="chart"/> with plotly.js from <see cref="ChartOptions.PlotlySource"/>.</summary>
    /// <exception cref="InvalidOperationException">The chart was never given data to plot.</exception>
    public static string Render(PlotlyChart chart) => Render(chart, ChartOptions.PlotlySource);

    /// <summary>Renders <paramref name="chart"/> with plotly.js from <paramref name="source"/>.</summary>
    /// <exception cref="InvalidOperationException">The chart was never given data to plot.</exception>
    public static string Render(PlotlyChart chart, PlotlySource source)
    {
        ArgumentNullException.ThrowIfNull(chart);
        ArgumentNullException.ThrowIfNull(source);
        var figure = PlotlyFigure.Of(chart);
        var id = "threadbook-chart-" + Guid.NewGuid().ToString("N");
        var name = figure.Title is { } title ? $"the chart \u201C{title}\u201D" : "this chart";
        var html = new StringBuilder();

        JsonObject scriptSource;
        string waiting;
        if (source.Kind == PlotlySourceKind.Url)
        {
            scriptSource = new JsonObject { ["url"] = source.Location, ["key"] = "url:" + source.Location };
            waiting = $"Waiting for plotly.js from {source.Location} to draw {name}. If this stays, this page does not run scripts or cannot reach that address.";
        }
        else if (source.ReadInlinedScript(out var problem) is { } inlined)
        {
            var keyJson = PlotlyFigure.ToScriptJson(JsonValue.Create(inlined.Key));
            html.Append("<script>").Append(ChartLoaderScript.InlinedPrefix(keyJson)).Append(inlined.Text)
                .Append(ChartLoaderScript.InlinedSuffix(keyJson)).Append("</script>");
            scriptSource = new JsonObject { ["key"] = inlined.Key };
            waiting = $"{Capitalized(name)} is drawn by the plotly.js inlined from {source.Location}. If this stays, this page does not run scripts.";
        }
        else
        {
            // Nothing to load: say so in the chart's place rather than fail the whole output.
            return AppendArea(html, id, figure,
                    $"{Capitalized(name)} cannot be drawn: the plotly.js file {source.Location} could not be read ({problem}). {WhatToDo}",
                    ChartLoaderScript.FailedStyle, "failed")
                .ToString();
        }

        AppendArea(html, id, figure, waiting, ChartLoaderScript.WaitingStyle, "waiting");

        var layout = figure.LayoutWithTitleObjects();
        // The width follows the page (up to the chart's width); plotly needs the height.
        layout.TryAdd("height", figure.Height);
        var where = source.Kind == PlotlySourceKind.Url ? $"from {source.Location}" : $"inlined from {source.Location}";
        var spec = new JsonObject
        {
            ["id"] = id,
            ["source"] = scriptSource,
            ["data"] = figure.Traces.DeepClone(),
            ["layout"] = layout,
            ["config"] = new JsonObject { ["responsive"] = true, ["displaylogo"] = false },
            ["styles"] = new JsonObject { ["waiting"] = ChartLoaderScript.WaitingStyle, ["failed"] = ChartLoaderScript.FailedStyle },
            ["messages"] = new JsonObject
            {
                ["loading"] = $"Loading plotly.js {where} to draw {name}\u2026",
                ["slow"] = $"Still waiting for plotly.js {where} (offline, or blocked?). {Capitalized(name)} is drawn when it arrives.",
                ["loadFailed"] = source.Kind == PlotlySourceKind.Url
                    ? $"{Capitalized(name)} cannot be drawn: plotly.js did not load from {source.Location} (offline, or blocked?). {WhatToDo}"
                    : $"{Capitalized(name)} cannot be drawn: the plotly.js inlined from {source.Location} did not run. {WhatToDo}",
                ["drawFailed"] = $"plotly.js loaded, but {name} could not be drawn:",
            },
        };
        html.Append("<script>(").Append(ChartLoaderScript.Function).Append(")(").Append(PlotlyFigure.ToScriptJson(spec)).Append(");</script>");
        return html.ToString();
    }

    /// <summary>
    /// A whole HTML page showing <paramref name="charts"/> one below the other, for a console program to write
    /// to a file and open in a browser.
    /// </summary>
    public static string RenderPage(string title, params IEnumerable<PlotlyChart> charts)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(charts);
        var page = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</title></head><body style=\"font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem\">");
        foreach (var chart in charts)
        {
            page.Append(Render(chart));
        }

        return page.Append("</body></html>").ToString();
    }

    private static StringBuilder AppendArea(StringBuilder html, string id, PlotlyFigure figure, string message, string style, string state) =>
        html.Append("<div class=\"").Append(ChartClass).Append("\" id=\"").Append(id)
            .Append("\" style=\"width:100%;max-width:").Append(figure.Width).Append("px;margin:.25rem 0\">")
            .Append("<p class=\"").Append(ChartLoaderScript.MessageClass).Append("\" data-state=\"").Append(state)
            .Append("\" style=\"").Append(style).Append("\">").Append(WebUtility.HtmlEncode(message)).Append("</p></div>");

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
