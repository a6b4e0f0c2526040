using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using XPlot.Plotly;

namespace Threadbook.Charts;

/// <summary>
/// The traces and layout of an XPlot chart as JSON. XPlot 4.1.0 exposes them only inside the script it
/// generates (<see cref="PlotlyChart.GetPlottingJS"/>: one <c>var data = …;</c> and one <c>var layout = …;</c> line,
/// serialized without line breaks), so they are read back from there.
/// </summary>
internal sealed partial class PlotlyFigure
{
    private PlotlyFigure(JsonArray traces, JsonObject layout, int width, int height)
    {
        Traces = traces;
        Layout = layout;
        Width = width;
        Height = height;
    }

    public JsonArray Traces { get; }

    public JsonObject Layout { get; }

    public int Width { get; }

    public int Height { get; }

    /// <summary>The chart's title (a string in XPlot, an object with <c>text</c> in newer Plotly layouts), or null.</summary>
    public string? Title => TitleOf(Layout["title"]);

    public static PlotlyFigure Of(PlotlyChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var script = chart.GetPlottingJS();
        var data = DataLine().Match(script);
        if (!data.Success)
        {
            throw new InvalidOperationException("The chart has no data to plot (XPlot wrote no 'var data = ...;' line).");
        }

        // A chart that was never given traces has `var data = null;`.
        var traces = JsonNode.Parse(data.Groups[1].Value) as JsonArray
            ?? throw new InvalidOperationException("The chart has no data to plot: give it traces (Chart.Plot(...)) first.");
        var layoutLine = LayoutLine().Match(script);
        // Without a layout XPlot writes `var layout = "";`.
        var layout = layoutLine.Success && JsonNode.Parse(layoutLine.Groups[1].Value) is JsonObject parsed ? parsed : [];
        return new PlotlyFigure(traces, layout, chart.Width, chart.Height);
    }

    /// <summary>
    /// A copy of the layout with every title as an object (<c>{"text": …, "font": …}</c>). XPlot writes titles as strings
    /// and fonts as <c>titlefont</c>; plotly.js 3 and later ignore both forms, plotly.js 1.43 and later read objects.
    /// </summary>
    public JsonObject LayoutWithTitleObjects()
    {
        var layout = (JsonObject)Layout.DeepClone();
        TitleToObject(layout);
        foreach (var (key, axis) in layout.ToArray())
        {
            if (AxisKey().IsMatch(key) && axis is JsonObject axisObject)
            {
                TitleToObject(axisObject);
            }
        }

        return layout;
    }

    /// <summary>JSON that can sit inside an HTML script element: the default encoder escapes &lt;, &gt;, &amp; and quotes.</summary>
    public static string ToScriptJson(JsonNode node) => node.ToJsonString(new JsonSerializerOptions { WriteIndented = false });

    public static string? TitleOf(JsonNode? title) => title switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => NullIfEmpty(text),
        JsonObject withText => withText["text"] is JsonValue text && text.TryGetValue<string>(out var s) ? NullIfEmpty(s) : null,
        _ => null,
    };

    private static void TitleToObject(JsonObject owner)
    {
        if (owner["title"] is JsonValue text)
        {
            owner["title"] = new JsonObject { ["text"] = text.DeepClone() };
        }

        if (owner["titlefont"] is { } font)
        {
            owner.Remove("titlefont");
            if (owner["title"] is JsonObject title)
            {
                title.TryAdd("font", font.DeepClone());
            }
        }
    }

    private static string? NullIfEmpty(string text) => string.IsNullOrWhiteSpace(text) ? null : text;

    [GeneratedRegex(@"^\s*var data = (.*);\s*$", RegexOptions.Multiline)]
    private static partial Regex DataLine();

    [GeneratedRegex(@"^[xyz]axis\d*$")]
    private static partial Regex AxisKey();

    [GeneratedRegex(@"^\s*var layout = (.*);\s*$", RegexOptions.Multiline)]
    private static partial Regex LayoutLine();
}
