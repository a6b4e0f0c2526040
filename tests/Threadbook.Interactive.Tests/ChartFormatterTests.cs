using System.Text.RegularExpressions;
using Threadbook.Charts;

namespace Threadbook.Interactive.Tests;

public class ChartFormatterTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    [Fact]
    public async Task a_chart_from_the_builders_is_shown_as_html_that_loads_plotly_and_as_a_short_text()
    {
        try
        {
            var events = (await kernel.SubmitAsync(
                """
                using Threadbook.Charts;
                ChartOptions.PlotlySource = PlotlySource.FromUrl("http://127.0.0.1:8123/plotly.min.js");
                ChartBuilder.Counts("Outcomes of 20 runs", new Dictionary<string, int> { ["2000000"] = 4, ["1999873"] = 16 })
                """)).ShouldSucceed();

            var html = events.Shown("text/html").Should().ContainSingle().Subject;
            html.Should().MatchRegex("^<div class=\"threadbook-chart\" id=\"threadbook-chart-[0-9a-f]{32}\"");
            html.Should().Contain("\"url\":\"http://127.0.0.1:8123/plotly.min.js\"").And.Contain("Plotly.newPlot(");
            html.Should().Contain("Waiting for plotly.js from http://127.0.0.1:8123/plotly.min.js");
            var text = events.Shown("text/plain").Should().ContainSingle().Subject;
            text.Should().Be(
                """
                Chart "Outcomes of 20 runs" (x: outcome, y: count) - 1 series
                  count: bar, 2 points
                """.ReplaceLineEndings());
        }
        finally
        {
            ChartOptions.Reset();
        }
    }

    [Fact]
    public async Task a_chart_made_with_xplot_directly_is_shown_through_the_same_loader_with_a_fresh_div_each_time()
    {
        var events = (await kernel.SubmitAsync(
            """
            using XPlot.Plotly;
            var chart = Chart.Plot(new[] { new Scatter { x = new[] { 1, 2, 3 }, y = new[] { 2, 4, 8 }, name = "doubling" } });
            chart.WithTitle("Growth");
            display(chart);
            chart
            """)).ShouldSucceed();

        var htmls = events.Shown("text/html");
        htmls.Should().HaveCount(2);
        var ids = htmls.Select(h => Regex.Match(h, "id=\"(threadbook-chart-[0-9a-f]+)\"").Groups[1].Value).ToArray();
        ids.Should().OnlyHaveUniqueItems("a chart shown twice on one page needs two places to draw").And.NotContain("");
        htmls.Should().AllSatisfy(h => h.Should().Contain("w.threadbookPlotly").And.Contain("\"name\":\"doubling\""));
        events.Shown("text/plain").Should().AllSatisfy(t => t.Should().StartWith("Chart \"Growth\"").And.Contain("doubling: scatter, 3 points"));
    }

    [Fact]
    public async Task a_chart_without_data_says_so_instead_of_failing_the_cell()
    {
        var events = (await kernel.SubmitAsync("new XPlot.Plotly.PlotlyChart()")).ShouldSucceed();

        events.Shown("text/html").Should().ContainSingle().Which.Should().Contain("PlotlyChart could not be shown").And.Contain("no data to plot");
        events.Shown("text/plain").Should().ContainSingle().Which.Should().Contain("no data to plot");
    }
}
