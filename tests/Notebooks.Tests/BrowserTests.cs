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
}
