using System.Text.RegularExpressions;
using Threadbook.Charts;
using XPlot.Plotly;

namespace Threadbook.Tests.Charts;

public class ChartHtmlTests
{
    private const string LocalUrl = "http://127.0.0.1:8123/plotly.min.js";

    [Fact]
    public void every_rendering_gets_its_own_div_id_that_the_script_draws_into()
    {
        var chart = SampleCharts.ThreadPool();

        var first = ChartHtml.Render(chart, PlotlySource.Cdn);
        var second = ChartHtml.Render(chart, PlotlySource.Cdn);

        var firstId = DivId(first);
        firstId.Should().NotBe(DivId(second), "the same chart shown twice on one page needs two places to draw");
        Regex.Matches(first, Regex.Escape(firstId)).Should().HaveCount(2, "once on the div, once in the script's settings");
        first.Should().StartWith($"<div class=\"threadbook-chart\" id=\"{firstId}\"");
    }

    [Fact]
    public void by_default_the_script_loads_the_pinned_plotly_build_from_the_cdn_and_draws_with_newPlot()
    {
        var html = ChartHtml.Render(SampleCharts.ThreadPool(), PlotlySource.Cdn);

        PlotlySource.CdnUrl.Should().Be("https://cdn.plot.ly/plotly-2.35.3.min.js");
        html.Should().Contain($"\"url\":\"{PlotlySource.CdnUrl}\"").And.Contain("Plotly.newPlot(el, chart.data, chart.layout, chart.config)");
        html.Should().Contain("\"name\":\"threads\"").And.Contain("\"name\":\"queue length\"");
        html.Should().NotContain("<script src=", "plotly.js is loaded by the script, once per page, not by a script tag per chart");
    }

    [Fact]
    public void the_loader_asks_requirejs_for_plotly_when_the_page_has_it_and_hides_a_bare_define_otherwise()
    {
        var html = ChartHtml.Render(SampleCharts.ThreadPool(), PlotlySource.Cdn);

        html.Should().Contain("w.require([url], found,").And.Contain("w.define = undefined").And.Contain("w.threadbookPlotly");
    }

    [Fact]
    public void before_the_script_runs_the_chart_area_says_what_it_is_waiting_for()
    {
        var html = ChartHtml.Render(SampleCharts.ThreadPool("Pool growth"), PlotlySource.FromUrl(LocalUrl));

        var message = Regex.Match(html, "<p class=\"threadbook-chart-message\"[^>]*>(.*?)</p>").Groups[1].Value;
        message.Should().Contain("Waiting for plotly.js from " + LocalUrl).And.Contain("Pool growth");
    }

    [Fact]
    public void when_plotly_cannot_load_the_message_names_the_url_and_how_to_point_elsewhere()
    {
        var html = ChartHtml.Render(SampleCharts.ThreadPool("Pool growth"), PlotlySource.FromUrl(LocalUrl));

        html.Should().Contain($"plotly.js did not load from {LocalUrl} (offline, or blocked?)");
        html.Should().Contain(ChartOptions.SourceVariable);
    }

    [Fact]
    public void a_file_source_puts_the_file_into_the_html_once_escaped_for_a_script_element()
    {
        var file = Path.Combine(Path.GetTempPath(), $"fake-plotly-{Guid.NewGuid():N}.js");
        File.WriteAllText(file, "window.fakePlotlyMarker = '</script>'; // </SCRIPT>");
        try
        {
            var html = ChartHtml.Render(SampleCharts.ThreadPool(), PlotlySource.FromFile(file));

            html.Should().Contain("window.fakePlotlyMarker = '<\\/script>'; // <\\/SCRIPT>");
            html.Should().Contain("(function(define,module,exports){", "the bundle must set window.Plotly even when RequireJS defines define");
            html.Should().Contain("\"key\":\"inline:").And.NotContain("\"url\":");
            html.Should().Contain("inlined from " + file);
            Regex.Matches(html, "</script>", RegexOptions.IgnoreCase).Should().HaveCount(2, "one script element carries the file, one draws");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void a_missing_file_gives_a_chart_that_says_which_file_it_could_not_read()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-plotly-{Guid.NewGuid():N}.js");

        var html = ChartHtml.Render(SampleCharts.ThreadPool(), PlotlySource.FromFile(missing));

        html.Should().Contain($"the plotly.js file {missing} could not be read").And.NotContain("<script");
        html.Should().Contain("data-state=\"failed\"");
    }

    [Fact]
    public void text_from_the_chart_cannot_end_the_script_element()
    {
        var chart = ChartBuilder.Counts("</script><b>\"odd\"</b>", [new("</script>", 1)]);

        var html = ChartHtml.Render(chart, PlotlySource.Cdn);

        Regex.Matches(html, "</script>").Should().HaveCount(1);
        html.Should().NotContain("<b>");
    }

    [Fact]
    public void xplots_string_titles_reach_plotly_as_title_objects_which_every_plotly_since_1_43_reads()
    {
        var html = ChartHtml.Render(SampleCharts.ThreadPool("Pool growth"), PlotlySource.Cdn);

        html.Should().Contain("\"title\":{\"text\":\"Pool growth\"}").And.Contain("\"title\":{\"text\":\"seconds\"}");
        html.Should().NotContain("\"title\":\"");
    }

    [Fact]
    public void a_chart_without_data_is_refused_with_a_clear_message()
    {
        var act = () => ChartHtml.Render(new PlotlyChart(), PlotlySource.Cdn);

        act.Should().Throw<InvalidOperationException>().WithMessage("*no data to plot*");
    }

    [Fact]
    public void the_options_source_is_used_when_none_is_given_and_reset_goes_back_to_the_environment()
    {
        var saved = Environment.GetEnvironmentVariable(ChartOptions.SourceVariable);
        try
        {
            ChartOptions.PlotlySource = PlotlySource.FromUrl(LocalUrl);
            ChartHtml.Render(SampleCharts.ThreadPool()).Should().Contain($"\"url\":\"{LocalUrl}\"");

            Environment.SetEnvironmentVariable(ChartOptions.SourceVariable, "https://example.test/p.js");
            ChartOptions.Reset();
            ChartOptions.PlotlySource.Location.Should().Be("https://example.test/p.js");

            Environment.SetEnvironmentVariable(ChartOptions.SourceVariable, null);
            ChartOptions.Reset();
            ChartOptions.PlotlySource.Should().BeSameAs(PlotlySource.Cdn);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ChartOptions.SourceVariable, saved);
            ChartOptions.Reset();
        }
    }

    [Fact]
    public void a_page_holds_every_chart_with_its_title()
    {
        var page = ChartHtml.RenderPage("Two <charts>", SampleCharts.ThreadPool(), SampleCharts.ThreadPool());

        page.Should().StartWith("<!DOCTYPE html>").And.Contain("<title>Two &lt;charts&gt;</title>").And.EndWith("</body></html>");
        Regex.Matches(page, "class=\"threadbook-chart\"").Should().HaveCount(2);
    }

    private static string DivId(string html) => Regex.Match(html, "<div class=\"threadbook-chart\" id=\"([^\"]+)\"").Groups[1].Value;
}
