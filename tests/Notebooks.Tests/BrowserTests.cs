using Microsoft.Playwright;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>The runner's HTML pages opened in a real browser (Debian's Chromium, driven by Playwright).</summary>
[Collection(PackedWorkbookCollection.Name)]
public class BrowserTests
{
    [Fact]
    public async Task the_html_page_of_the_start_notebook_shows_the_thread_table_in_chromium()
    {
        var page = await HeadlessChromium.WriteNotebookPageAsync("00-start-here.ipynb");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = chromium.Browser;
        var tab = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1200, Height = 900 } });
        await tab.GotoAsync(new Uri(page).AbsoluteUri);

        var header = tab.Locator("th", new() { HasText = "OS id" }).First;
        (await header.IsVisibleAsync()).Should().BeTrue("the #!threads table is on the page");
        var box = await header.BoundingBoxAsync();
        box.Should().NotBeNull();
        box!.Width.Should().BeGreaterThan(0);
        (await tab.Locator("td", new() { HasText = "◀ this cell" }).CountAsync()).Should().BeGreaterThan(0);
        (await tab.Locator("summary", new() { HasText = "Threadbook" }).CountAsync()).Should().Be(1, "the banner is collapsed behind a summary");
        (await tab.Locator("h1").InnerTextAsync()).Should().Contain("Start here");
        (await tab.ContentAsync()).Should().NotContain("could not be shown");
        await tab.ScreenshotAsync(new() { Path = Path.Combine(Path.GetDirectoryName(page)!, "00-start-here.png"), FullPage = true });
    }

    [Fact]
    public async Task the_gil_notebook_shows_cpython_and_csharp_cpu_lanes_side_by_side_in_chromium_with_scripts_off()
    {
        var page = await HeadlessChromium.WriteNotebookPageAsync("06-gil.ipynb");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var tab = await chromium.Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 900 }, JavaScriptEnabled = false });
        await tab.GotoAsync(new Uri(page).AbsoluteUri);

        var pictures = tab.Locator(".threadbook-cpu-timeline svg");
        (await pictures.CountAsync()).Should().BeGreaterThanOrEqualTo(4, "#!python --timeline, then CPython threads, C# threads and CPython processes");
        var cpython = tab.Locator(".threadbook-cpu-timeline", new() { HasText = "CPython: two threads" }).Locator("svg");
        var csharp = tab.Locator(".threadbook-cpu-timeline", new() { HasText = "C#: two threads" }).Locator("svg");
        var left = await cpython.BoundingBoxAsync();
        var right = await csharp.BoundingBoxAsync();
        left.Should().NotBeNull();
        right.Should().NotBeNull();
        left!.Width.Should().BeGreaterThan(200, "each picture keeps a readable width");
        right!.X.Should().BeGreaterThan(left.X + left.Width - 1, "C#'s picture is beside CPython's, not under it");
        Math.Abs(right.Y - left.Y).Should().BeLessThan(40);
        (await tab.Locator(".threadbook-cpu-timeline p", new() { HasText = "Two or more threads on a CPU at once" }).CountAsync()).Should().BeGreaterThanOrEqualTo(4);
        await tab.ScreenshotAsync(new() { Path = Path.Combine(Path.GetDirectoryName(page)!, "06-gil.png"), FullPage = true });
    }
}
