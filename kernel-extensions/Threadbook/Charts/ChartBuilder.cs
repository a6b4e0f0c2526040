using System.Globalization;
using XPlot.Plotly;

namespace Threadbook.Charts;

/// <summary>
/// The charts the workbook draws, built from plain data: lines over time, counts per outcome, grouped bars.
/// Each returns an XPlot <see cref="PlotlyChart"/> with a title and axis titles, ready for
/// <see cref="ChartHtml.Render(PlotlyChart)"/> (a notebook shows it as it is).
/// </summary>
public static class ChartBuilder
{
    private const int Height = 420;

    /// <summary>
    /// Several lines over one x axis, e.g. thread-pool samples over time: threads, queue length and (on the
    /// right axis) completed items against seconds.
    /// </summary>
    /// <param name="title">The chart's title.</param>
    /// <param name="x">The shared x values (e.g. seconds since the start).</param>
    /// <param name="series">The lines; each has one value per x.</param>
    /// <param name="xAxisTitle">The horizontal axis' title.</param>
    /// <param name="yAxisTitle">The left axis' title.</param>
    /// <param name="rightAxisTitle">The right axis' title, for series with <see cref="LineSeries.OnRightAxis"/>.</param>
    /// <exception cref="ArgumentException">There is no series, or a series' length differs from <paramref name="x"/>'s.</exception>
    public static PlotlyChart Lines(
        string title, IReadOnlyList<double> x, IEnumerable<LineSeries> series, string xAxisTitle, string yAxisTitle, string? rightAxisTitle = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        var lines = RequireSeries(series, nameof(series));
        foreach (var line in lines)
        {
            RequireLength(line.Name, line.Values.Count, x.Count, "x values", nameof(series));
        }

        var traces = lines.Select(line => new Scatter
        {
            name = line.Name,
            x = x.ToArray(),
            y = line.Values.ToArray(),
            mode = "lines",
            yaxis = line.OnRightAxis ? "y2" : "y",
        });
        var layout = NewLayout(title, xAxisTitle, yAxisTitle);
        if (lines.Any(line => line.OnRightAxis))
        {
            layout.yaxis2 = new Yaxis { title = rightAxisTitle ?? "", overlaying = "y", side = "right", rangemode = "tozero", showgrid = false };
            // The legend moves below the axis title, out of the right axis' way.
            layout.legend = new Legend { orientation = "h", y = -0.25, yanchor = "top" };
        }

        layout.yaxis.rangemode = "tozero";
        return Plot(traces, layout);
    }

    /// <summary>
    /// One bar per outcome with its count, in the order given, e.g. the distinct results of running a racy cell
    /// many times. Outcomes are categories even when they look like numbers.
    /// </summary>
    /// <exception cref="ArgumentException">There are no outcomes.</exception>
    public static PlotlyChart Counts(string title, IEnumerable<KeyValuePair<string, int>> counts, string xAxisTitle = "outcome", string yAxisTitle = "count")
    {
        ArgumentNullException.ThrowIfNull(counts);
        var pairs = counts.ToArray();
        if (pairs.Length == 0)
        {
            throw new ArgumentException("There is nothing to count: give at least one outcome.", nameof(counts));
        }

        var bars = new Bar
        {
            name = yAxisTitle,
            x = pairs.Select(p => p.Key).ToArray(),
            y = pairs.Select(p => p.Value).ToArray(),
            text = pairs.Select(p => p.Value.ToString(CultureInfo.InvariantCulture)).ToArray(),
        };
        var layout = NewLayout(title, xAxisTitle, yAxisTitle);
        layout.xaxis.type = "category";
        layout.showlegend = false;
        return Plot([bars], layout);
    }

    /// <summary>
    /// Bars side by side per category, one colour per series, e.g. the speed-up of C# and CPython on 1 and 2
    /// workers (categories "1 worker", "2 workers"; series "C# threads", "CPython threads", "CPython processes").
    /// </summary>
    /// <exception cref="ArgumentException">There is no series, or a series' length differs from the number of categories.</exception>
    public static PlotlyChart GroupedBars(
        string title, IReadOnlyList<string> categories, IEnumerable<BarSeries> series, string xAxisTitle, string yAxisTitle)
    {
        ArgumentNullException.ThrowIfNull(categories);
        var groups = RequireSeries(series, nameof(series));
        foreach (var group in groups)
        {
            RequireLength(group.Name, group.Values.Count, categories.Count, "categories", nameof(series));
        }

        var traces = groups.Select(group => new Bar
        {
            name = group.Name,
            x = categories.ToArray(),
            y = group.Values.ToArray(),
            text = group.Values.Select(v => v.ToString("0.##", CultureInfo.InvariantCulture)).ToArray(),
        });
        var layout = NewLayout(title, xAxisTitle, yAxisTitle);
        layout.barmode = "group";
        layout.xaxis.type = "category";
        return Plot(traces, layout);
    }

    private static Layout.Layout NewLayout(string title, string xAxisTitle, string yAxisTitle)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(xAxisTitle);
        ArgumentNullException.ThrowIfNull(yAxisTitle);
        return new Layout.Layout
        {
            title = title,
            // Plotly's default top margin leaves a wide gap under the title.
            margin = new Margin { t = 60 },
            xaxis = new Xaxis { title = xAxisTitle },
            yaxis = new Yaxis { title = yAxisTitle },
        };
    }

    private static PlotlyChart Plot<TTrace>(IEnumerable<TTrace> traces, Layout.Layout layout)
        where TTrace : Trace
    {
        var chart = Chart.Plot(traces.ToArray(), layout);
        chart.WithHeight(Height);
        return chart;
    }

    private static T[] RequireSeries<T>(IEnumerable<T> series, string parameter)
    {
        ArgumentNullException.ThrowIfNull(series, parameter);
        var list = series.ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("Give at least one series.", parameter);
        }

        return list;
    }

    private static void RequireLength(string name, int count, int expected, string what, string parameter)
    {
        if (count != expected)
        {
            throw new ArgumentException($"The series '{name}' has {count} values but there are {expected} {what}.", parameter);
        }
    }
}
