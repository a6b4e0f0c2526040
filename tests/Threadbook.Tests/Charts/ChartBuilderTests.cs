using System.Text.Json.Nodes;
using Threadbook.Charts;

namespace Threadbook.Tests.Charts;

public class ChartBuilderTests
{
    [Fact]
    public void lines_give_one_line_trace_per_series_over_the_shared_x_with_titles()
    {
        var chart = ChartBuilder.Lines(
            "Thread pool while the cell ran",
            [0, 1, 2],
            [new LineSeries("threads", [2, 3, 5]), new LineSeries("queue length", [8, 4, 0]), new LineSeries("completed items", [0, 100, 250]) { OnRightAxis = true }],
            "seconds", "threads / queued items", "completed items");

        var figure = PlotlyFigure.Of(chart);
        figure.Traces.Select(t => (string)t!["name"]!).Should().Equal("threads", "queue length", "completed items");
        figure.Traces.Should().AllSatisfy(t =>
        {
            ((string)t!["type"]!).Should().Be("scatter");
            ((string)t["mode"]!).Should().Be("lines");
            Numbers(t["x"]).Should().Equal(0, 1, 2);
        });
        Numbers(figure.Traces[0]!["y"]).Should().Equal(2, 3, 5);
        ((string)figure.Traces[2]!["yaxis"]!).Should().Be("y2");
        ((string)figure.Layout["yaxis2"]!["title"]!).Should().Be("completed items");
        ((string)figure.Layout["yaxis2"]!["overlaying"]!).Should().Be("y");

        var summary = ChartSummary.Of(chart);
        summary.Title.Should().Be("Thread pool while the cell ran");
        summary.XAxisTitle.Should().Be("seconds");
        summary.YAxisTitle.Should().Be("threads / queued items");
        summary.Traces.Should().Equal(
            new ChartTraceSummary("threads", "scatter", 3),
            new ChartTraceSummary("queue length", "scatter", 3),
            new ChartTraceSummary("completed items", "scatter", 3));
    }

    [Fact]
    public void counts_give_one_bar_per_outcome_on_a_category_axis_in_the_order_given()
    {
        var chart = ChartBuilder.Counts("Outcomes of 20 runs", [new("2000000", 3), new("1999872", 16), new("1999990", 1)]);

        var figure = PlotlyFigure.Of(chart);
        var bars = figure.Traces.Should().ContainSingle().Subject!;
        ((string)bars["type"]!).Should().Be("bar");
        bars["x"]!.AsArray().Select(v => (string)v!).Should().Equal("2000000", "1999872", "1999990");
        Numbers(bars["y"]).Should().Equal(3, 16, 1);
        ((string)figure.Layout["xaxis"]!["type"]!).Should().Be("category", "outcomes that look like numbers are still categories");
        ((string)figure.Layout["xaxis"]!["title"]!).Should().Be("outcome");
        ((string)figure.Layout["yaxis"]!["title"]!).Should().Be("count");
    }

    [Fact]
    public void grouped_bars_put_each_series_side_by_side_per_category()
    {
        var chart = ChartBuilder.GroupedBars(
            "C# vs CPython speed-up", ["1 worker", "2 workers"],
            [new BarSeries("C# threads", [1, 1.93]), new BarSeries("CPython threads", [1, 0.98]), new BarSeries("CPython processes", [1, 1.85])],
            "workers", "speed-up");

        var figure = PlotlyFigure.Of(chart);
        figure.Traces.Select(t => (string)t!["name"]!).Should().Equal("C# threads", "CPython threads", "CPython processes");
        figure.Traces.Should().AllSatisfy(t => ((string)t!["type"]!).Should().Be("bar"));
        Numbers(figure.Traces[1]!["y"]).Should().Equal(1, 0.98);
        figure.Traces[0]!["text"]!.AsArray().Select(v => (string)v!).Should().Equal("1", "1.93");
        ((string)figure.Layout["barmode"]!).Should().Be("group");
        ChartSummary.Of(chart).ToText().Should().Be(
            """
            Chart "C# vs CPython speed-up" (x: workers, y: speed-up) - 3 series
              C# threads: bar, 2 points
              CPython threads: bar, 2 points
              CPython processes: bar, 2 points
            """.ReplaceLineEndings());
    }

    [Fact]
    public void a_series_of_the_wrong_length_is_refused_with_its_name()
    {
        var act = () => ChartBuilder.Lines("t", [0, 1], [new LineSeries("threads", [1])], "s", "n");

        act.Should().Throw<ArgumentException>().WithMessage("*'threads' has 1 values but there are 2 x values*");
    }

    [Fact]
    public void a_chart_needs_at_least_one_series()
    {
        var act = () => ChartBuilder.GroupedBars("t", ["a"], [], "x", "y");

        act.Should().Throw<ArgumentException>().WithMessage("*at least one series*");
    }

    private static double[] Numbers(JsonNode? list) => list!.AsArray().Select(v => (double)v!).ToArray();
}
