using Microsoft.Playwright;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>Debian's Chromium driven by Playwright, headless; the driver and the browser are stopped together.</summary>
internal sealed class HeadlessChromium(IPlaywright playwright, IBrowser browser) : IAsyncDisposable
{
    private static readonly string ChromiumPath = Environment.GetEnvironmentVariable("THREADBOOK_CHROMIUM") ?? "/usr/bin/chromium";

    public IBrowser Browser => browser;

    public static async Task<HeadlessChromium> LaunchAsync()
    {
        File.Exists(ChromiumPath).Should().BeTrue($"the test command installs Chromium ({ChromiumPath}); by hand: apt-get install -y chromium");
        var driver = await Playwright.CreateAsync();
        try
        {
            var launched = await driver.Chromium.LaunchAsync(new()
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            });
            return new HeadlessChromium(driver, launched);
        }
        catch
        {
            driver.Dispose();
            throw;
        }
    }

    /// <summary>Runs a notebook of the workbook in the runner and writes its HTML page; returns the page's path.</summary>
    public static async Task<string> WriteNotebookPageAsync(string notebookFile)
    {
        var run = await new NotebookRunner().RunAsync(Path.Combine(Repository.NotebooksFolder, notebookFile));
        var page = Path.Combine(Repository.NewWorkFolder("browser"), Path.ChangeExtension(notebookFile, ".html"));
        await File.WriteAllTextAsync(page, HtmlExport.Render(run.Document, run.Name));
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
