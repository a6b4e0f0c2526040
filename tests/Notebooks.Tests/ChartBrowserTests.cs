using System.IO.Compression;
using Microsoft.Playwright;

namespace Notebooks.Tests;

/// <summary>
/// Charts made in a notebook (the packed Threadbook, loaded with <c>#r "nuget: ..."</c> as a user does), exported
/// by the runner's HTML page and opened in real Chromium. plotly.js comes from npm's plotly.js-dist-min
/// (tests/Notebooks.Tests/browser, installed by eng/test.sh), served on loopback in place of the CDN.
/// </summary>
[Collection(PackedWorkbookCollection.Name)]
public class ChartBrowserTests(PackedWorkbook packed, ChartNotebook notebook) : IClassFixture<ChartNotebook>
{
    [Fact]
    public async Task charts_from_a_notebook_draw_in_chromium_with_plotly_loaded_once_for_the_page()
    {
        var folder = Repository.NewWorkFolder("chart-drawn");
        var plotlyRequestsBefore = notebook.Server.RequestsFor(ChartNotebook.PlotlyPath);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (tab, scriptErrors) = await OpenAsync(chromium, notebook.Page("drawn", folder, requireShim: false, ChartNotebook.LinesCell, ChartNotebook.GroupedBarsCell, ChartNotebook.CountsCell));

        var charts = await ScreenshotAfterAsync(tab, Path.Combine(folder, "charts.png"), () => DrawnChartsAsync(tab, expected: 3));

        (await TitlesAsync(tab)).Should().Equal(ChartNotebook.LinesTitle, ChartNotebook.GroupedBarsTitle, ChartNotebook.CountsTitle);
        (await tab.Locator($"#{charts[0]} .scatterlayer .trace").CountAsync()).Should().Be(3, "the line chart has three series");
        (await tab.Locator($"#{charts[0]} .scatterlayer .trace path.js-line").CountAsync()).Should().Be(3);
        (await tab.Locator($"#{charts[1]} .barlayer .trace").CountAsync()).Should().Be(3, "three bar series side by side");
        (await tab.Locator($"#{charts[1]} .barlayer .point path").CountAsync()).Should().Be(6, "three series on two categories");
        (await tab.Locator($"#{charts[2]} .barlayer .point path").CountAsync()).Should().Be(3, "one bar per outcome");
        (await tab.Locator($"#{charts[0]} .g-y2title").TextContentAsync()).Should().Be("completed items");
        (await tab.Locator(".threadbook-chart-message").CountAsync()).Should().Be(0, "a drawn chart shows no message");
        (notebook.Server.RequestsFor(ChartNotebook.PlotlyPath) - plotlyRequestsBefore).Should().Be(1, "three charts on one page share one load of plotly.js");
        scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task when_plotly_cannot_be_reached_the_chart_area_says_so_and_names_the_url()
    {
        var folder = Repository.NewWorkFolder("chart-offline");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (tab, scriptErrors) = await OpenAsync(chromium, notebook.Page("offline", folder, requireShim: false, ChartNotebook.UnreachableCell));

        var message = tab.Locator(".threadbook-chart .threadbook-chart-message[data-state=failed]");
        await ScreenshotAfterAsync(tab, Path.Combine(folder, "offline.png"), async () => { await message.WaitForAsync(new() { Timeout = 60_000 }); return 0; });

        (await message.IsVisibleAsync()).Should().BeTrue();
        var text = await message.InnerTextAsync();
        text.Should().Contain($"plotly.js did not load from {ChartNotebook.UnreachableUrl}").And.Contain("THREADBOOK_PLOTLY_SRC");
        text.Should().Contain(ChartNotebook.CountsTitle);
        var box = await message.BoundingBoxAsync();
        box!.Height.Should().BeGreaterThan(10, "the message is a readable box, not a blank area");
        (await tab.Locator(".main-svg").CountAsync()).Should().Be(0);
        scriptErrors.Should().BeEmpty("a failed load is handled, not thrown");
    }

    [Fact]
    public async Task without_scripts_the_chart_area_still_says_what_it_is_waiting_for()
    {
        var folder = Repository.NewWorkFolder("chart-noscript");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var context = await chromium.Browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1200, Height = 900 } });
        var tab = await context.NewPageAsync();
        await tab.GotoAsync(notebook.Page("noscript", folder, requireShim: false, ChartNotebook.LinesCell));

        var message = tab.Locator(".threadbook-chart .threadbook-chart-message[data-state=waiting]");
        (await message.IsVisibleAsync()).Should().BeTrue();
        (await message.InnerTextAsync()).Should().Contain($"Waiting for plotly.js from {notebook.PlotlyUrl}").And.Contain(ChartNotebook.LinesTitle);
        await tab.ScreenshotAsync(new() { Path = Path.Combine(folder, "noscript.png"), FullPage = true });
    }

    [Fact]
    public async Task with_requirejs_on_the_page_plotly_is_taken_as_an_amd_module_and_the_charts_draw()
    {
        var folder = Repository.NewWorkFolder("chart-requirejs");
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (tab, scriptErrors) = await OpenAsync(chromium, notebook.Page("requirejs", folder, requireShim: true, ChartNotebook.LinesCell, ChartNotebook.CountsCell));

        await ScreenshotAfterAsync(tab, Path.Combine(folder, "requirejs.png"), () => DrawnChartsAsync(tab, expected: 2));

        (await tab.EvaluateAsync<int>("window.amdShim.defines")).Should().Be(1, "plotly's bundle registered itself with define(), once");
        (await tab.EvaluateAsync<bool>("typeof window.Plotly === 'undefined'")).Should().BeTrue("under an AMD loader plotly does not set window.Plotly");
        (await tab.EvaluateAsync<bool>("typeof window.define === 'function' && !!window.define.amd")).Should().BeTrue("the page's loader is left as it was");
        (await TitlesAsync(tab)).Should().Equal(ChartNotebook.LinesTitle, ChartNotebook.CountsTitle);
        scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task plotly_inlined_from_a_file_draws_with_no_server_even_under_requirejs()
    {
        var folder = Repository.NewWorkFolder("chart-inlined");
        var plotlyRequestsBefore = notebook.Server.RequestsFor(ChartNotebook.PlotlyPath);
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var (tab, scriptErrors) = await OpenAsync(chromium, notebook.Page("inlined", folder, requireShim: true, ChartNotebook.InlinedCell));

        await ScreenshotAfterAsync(tab, Path.Combine(folder, "inlined.png"), () => DrawnChartsAsync(tab, expected: 2));

        (notebook.Server.RequestsFor(ChartNotebook.PlotlyPath) - plotlyRequestsBefore).Should().Be(0);
        (await tab.EvaluateAsync<int>("window.amdShim.defines")).Should().Be(0, "the inlined bundle does not see the page's define");
        (await TitlesAsync(tab)).Should().Equal(ChartNotebook.GroupedBarsTitle, ChartNotebook.GroupedBarsTitle);
        (await tab.EvaluateAsync<int>("Object.keys(window.threadbookPlotly.loads).length")).Should().Be(1, "both charts carry the file and share the one copy that ran");
        scriptErrors.Should().BeEmpty();
    }

    [Fact]
    public void the_packed_threadbook_package_brings_xplot_as_a_dependency()
    {
        var package = Path.Combine(Repository.Feed.PackagesFolder, $"Threadbook.{packed.Version}.nupkg");
        using var zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry("Threadbook.nuspec")!.Open());

        reader.ReadToEnd().Should().Contain("<dependency id=\"XPlot.Plotly\" version=\"4.1.0\"");
    }

    private static async Task<(IPage Tab, List<string> ScriptErrors)> OpenAsync(HeadlessChromium chromium, string url)
    {
        var tab = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        var errors = new List<string>();
        tab.PageError += (_, error) => { lock (errors) { errors.Add(error); } };
        await tab.GotoAsync(url);
        return (tab, errors);
    }

    /// <summary>Runs <paramref name="wait"/>, then takes a full-page screenshot whether it succeeded or not (a failure is best understood by looking).</summary>
    private static async Task<T> ScreenshotAfterAsync<T>(IPage tab, string path, Func<Task<T>> wait)
    {
        try
        {
            return await wait();
        }
        finally
        {
            await tab.ScreenshotAsync(new() { Path = path, FullPage = true });
        }
    }

    /// <summary>Waits until every chart on the page has Plotly's SVG with drawn traces; returns the charts' ids in page order.</summary>
    private static async Task<string[]> DrawnChartsAsync(IPage tab, int expected)
    {
        var charts = tab.Locator(".threadbook-chart");
        (await charts.CountAsync()).Should().Be(expected);
        var ids = new string[expected];
        for (var i = 0; i < expected; i++)
        {
            ids[i] = (await charts.Nth(i).GetAttributeAsync("id"))!;
            await tab.Locator($"#{ids[i]} .main-svg .cartesianlayer .trace").First.WaitForAsync(new() { Timeout = 60_000 });
            (await tab.Locator($"#{ids[i]} .main-svg").CountAsync()).Should().BeGreaterThan(0);
            (await tab.Locator($"#{ids[i]} .cartesianlayer .trace path").CountAsync()).Should().BeGreaterThan(0, "traces are drawn as SVG paths");
            var box = await tab.Locator($"#{ids[i]} .main-svg").First.BoundingBoxAsync();
            box!.Width.Should().BeGreaterThan(300);
            box.Height.Should().BeGreaterThan(300);
        }

        ids.Should().OnlyHaveUniqueItems();
        return ids;
    }

    private static async Task<IReadOnlyList<string>> TitlesAsync(IPage tab) =>
        await tab.Locator(".threadbook-chart .gtitle").AllTextContentsAsync();
}
