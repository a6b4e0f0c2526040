using Microsoft.Playwright;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>Notebook 12's explorer output (schedule grid, step table, wait-for cycle) as a browser draws it.</summary>
[Collection(PackedWorkbookCollection.Name)]
public class ExplorerBrowserTests
{
    [Fact]
    public async Task the_failing_schedule_draws_as_a_grid_with_a_lane_per_thread_and_its_step_table_opens_without_scripts()
    {
        var page = await HeadlessChromium.WriteNotebookPageAsync("12-exploring-interleavings.ipynb");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var browser = chromium.Browser;

        // Scripts off: the grid, the table behind <details> and the cycle drawing must not need any.
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = false, ViewportSize = new() { Width = 1200, Height = 900 } });
        var tab = await context.NewPageAsync();
        await tab.GotoAsync(new Uri(page).AbsoluteUri);

        var first = tab.Locator(".threadbook-exploration").First;
        (await first.InnerTextAsync()).Should().Contain("Bug found: 2 of 4 schedules fail");
        var grid = first.Locator(".threadbook-schedule table").First;
        var lanes = await grid.Locator("tbody tr th").AllInnerTextsAsync();
        lanes.Select(lane => lane.Split(' ')[0]).Should().Equal("t1", "t2", "gl_num");
        (await grid.Locator("thead th").AllInnerTextsAsync()).Should().Equal("step", "start", "1", "2", "3", "4", "end");
        var readCell = grid.Locator("td", new() { HasText = "read gl_num → 0" }).First;
        var box = await readCell.BoundingBoxAsync();
        box.Should().NotBeNull();
        box!.Width.Should().BeGreaterThan(40, "a step's cell is wide enough to read");
        box.Height.Should().BeGreaterThan(8);

        var table = first.Locator("details", new() { HasText = "Step by step" }).First;
        (await table.Locator("table").IsVisibleAsync()).Should().BeFalse("the step table starts folded");
        await table.Locator("summary").ClickAsync();
        (await table.Locator("table").IsVisibleAsync()).Should().BeTrue("a click on the summary opens it, with no script");
        (await table.Locator("tbody tr").CountAsync()).Should().Be(5, "the start and the four steps");

        var cycle = tab.Locator(".threadbook-schedule svg").First;
        var cycleBox = await cycle.BoundingBoxAsync();
        cycleBox.Should().NotBeNull("the deadlock's wait-for cycle is drawn");
        cycleBox!.Width.Should().BeGreaterThan(100);
        (await cycle.InnerHTMLAsync()).Should().Contain("lock-A").And.Contain("lock-B");

        (await tab.ContentAsync()).Should().NotContain("could not be shown");
        await tab.ScreenshotAsync(new() { Path = Path.Combine(Path.GetDirectoryName(page)!, "12-exploring-interleavings.png"), FullPage = true });
    }
}
