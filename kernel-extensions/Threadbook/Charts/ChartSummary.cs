using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using XPlot.Plotly;

namespace Threadbook.Charts;

/// <summary>
/// What a chart shows, in words: its title, axis titles and series with their sizes. The plain-text twin of
/// <see cref="ChartHtml"/>, for consoles, logs and tests.
/// </summary>
public sealed class ChartSummary
{
    private ChartSummary(string? title, string? xAxisTitle, string? yAxisTitle, IReadOnlyList<ChartTraceSummary> traces)
    {
        Title = title;
        XAxisTitle = xAxisTitle;
        YAxisTitle = yAxisTitle;
        Traces = traces;
    }

    /// <summary>The chart's title, or null when it has none.</summary>
    public string? Title { get; }

    /// <summary>The horizontal axis' title, or null.</summary>
    public string? XAxisTitle { get; }

    /// <summary>The (left) vertical axis' title, or null.</summary>
    public string? YAxisTitle { get; }

    /// <summary>Every series, in the order they are drawn.</summary>
    public IReadOnlyList<ChartTraceSummary> Traces { get; }

    /// <summary>Summarizes <paramref name="chart"/>.</summary>
    /// <exception cref="InvalidOperationException">The chart was never given data to plot.</exception>
    public static ChartSummary Of(PlotlyChart chart)
    {
        var figure = PlotlyFigure.Of(chart);
        var traces = figure.Traces.Select((trace, i) => Summarize(trace as JsonObject, i)).ToArray();
        return new ChartSummary(
            figure.Title,
            PlotlyFigure.TitleOf(figure.Layout["xaxis"]?["title"]),
            PlotlyFigure.TitleOf(figure.Layout["yaxis"]?["title"]),
            traces);
    }

    /// <summary>A few lines: <c>Chart "title" (x: …, y: …)</c>, then one line per series with its type and size.</summary>
    public string ToText()
    {
        var text = new StringBuilder("Chart");
        if (Title is not null)
        {
            text.Append(" \"").Append(Title).Append('"');
        }

        var axes = new[] { ("x", XAxisTitle), ("y", YAxisTitle) }.Where(a => a.Item2 is not null).Select(a => $"{a.Item1}: {a.Item2}").ToArray();
        if (axes.Length > 0)
        {
            text.Append(" (").Append(string.Join(", ", axes)).Append(')');
        }

        text.Append(CultureInfo.InvariantCulture, $" - {Traces.Count} series");
        foreach (var trace in Traces)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  {trace.Name}: {trace.Type}, {trace.PointCount} {(trace.PointCount == 1 ? "point" : "points")}");
        }

        return text.ToString();
    }

    /// <inheritdoc cref="ToText"/>
    public override string ToString() => ToText();

    private static ChartTraceSummary Summarize(JsonObject? trace, int index)
    {
        var name = trace?["name"] is JsonValue n && n.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : $"trace {index + 1}";
        var type = trace?["type"] is JsonValue t && t.TryGetValue<string>(out var tt) ? tt : "scatter";
        // Whichever list carries the values: y for most traces, x for a horizontal bar or histogram, values for a pie.
        var points = new[] { "y", "x", "values", "z" }
            .Select(key => trace?[key] as JsonArray)
            .FirstOrDefault(list => list is not null)?.Count ?? 0;
        return new ChartTraceSummary(name, type, points);
    }
}
