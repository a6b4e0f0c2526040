using System.Text;
using Microsoft.DotNet.Interactive.Documents;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>
/// Runs one small notebook that makes every chart the tests look at (about 10 s, so once per class), and serves
/// the pages, plotly.js and an AMD loader on loopback for as long as the class runs.
/// </summary>
public sealed class ChartNotebook : IAsyncLifetime
{
    public const string PlotlyPath = "/plotly.min.js";
    public const string UnreachableUrl = "http://127.0.0.1:1/plotly.js";
    public const string LinesTitle = "Thread pool while the cell ran";
    public const string GroupedBarsTitle = "C# vs CPython speed-up on 1 and 2 workers";
    public const string CountsTitle = "Outcomes of 20 runs of the unlocked counter";

    // Cell positions in the notebook (0-based elements of the document).
    public const int LinesCell = 1;
    public const int GroupedBarsCell = 2;
    public const int CountsCell = 3;
    public const int UnreachableCell = 4;
    public const int InlinedCell = 5;

    private NotebookRun? _run;

    public LoopbackServer Server { get; } = new();

    public string PlotlyUrl => Server.Url(PlotlyPath);

    private static string PlotlyFile => Path.Combine(Repository.Root, "tests", "Notebooks.Tests", "browser", "node_modules", "plotly.js-dist-min", "plotly.min.js");

    public async Task InitializeAsync()
    {
        try
        {
            await RunNotebookAsync();
        }
        catch
        {
            // Stopped here as well, whether or not the test framework disposes a fixture that failed to start.
            Server.Dispose();
            throw;
        }
    }

    private async Task RunNotebookAsync()
    {
        File.Exists(PlotlyFile).Should().BeTrue($"eng/test.sh installs plotly.js with npm; by hand: (cd tests/Notebooks.Tests/browser && npm ci) — {PlotlyFile} is missing");
        Server.Add(PlotlyPath, "text/javascript", await File.ReadAllBytesAsync(PlotlyFile));
        Server.Add("/require-shim.js", "text/javascript", Encoding.UTF8.GetBytes(RequireShim));

        await Repository.Feed.EnsurePackedAsync(TextWriter.Null);
        var folder = Repository.NewWorkFolder("chart-notebook");
        await File.WriteAllTextAsync(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="threadbook-local" value="{Repository.Feed.PackagesFolder}" />
              </packageSources>
            </configuration>
            """);

        var document = new InteractiveDocument
        {
            Csharp("#r \"nuget: Threadbook.Interactive, *-*\""),
            Csharp($$"""
                using Threadbook.Charts;
                ChartOptions.PlotlySource = PlotlySource.FromUrl("{{PlotlyUrl}}");
                double[] seconds = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4];
                ChartBuilder.Lines("{{LinesTitle}}", seconds,
                    [new LineSeries("threads", [2, 2, 3, 4, 5, 6, 7, 8, 8]),
                     new LineSeries("queue length", [30, 28, 25, 21, 16, 11, 6, 1, 0]),
                     new LineSeries("completed items", [0, 2, 5, 9, 14, 19, 24, 29, 30]) { OnRightAxis = true }],
                    "seconds", "threads / queued items", "completed items")
                """),
            Csharp($$"""
                ChartBuilder.GroupedBars("{{GroupedBarsTitle}}", ["1 worker", "2 workers"],
                    [new BarSeries("C# threads", [1, 1.93]), new BarSeries("CPython threads", [1, 0.97]), new BarSeries("CPython processes", [1, 1.86])],
                    "workers", "speed-up (× one worker)")
                """),
            Csharp($$"""
                ChartBuilder.Counts("{{CountsTitle}}", new Dictionary<string, int> { ["2000000"] = 3, ["1999873"] = 12, ["1999990"] = 5 })
                """),
            Csharp($$"""
                ChartOptions.PlotlySource = PlotlySource.FromUrl("{{UnreachableUrl}}");
                ChartBuilder.Counts("{{CountsTitle}}", new Dictionary<string, int> { ["2000000"] = 20 })
                """),
            Csharp($$"""
                ChartOptions.PlotlySource = PlotlySource.FromFile(@"{{PlotlyFile}}");
                var inlined = ChartBuilder.GroupedBars("{{GroupedBarsTitle}}", ["1 worker", "2 workers"],
                    [new BarSeries("C# threads", [1, 1.93]), new BarSeries("CPython threads", [1, 0.97])], "workers", "speed-up");
                // Shown while the file is the source: a return value would be formatted after the Reset.
                display(inlined);
                display(inlined);
                ChartOptions.Reset();
                """),
        };
        var path = Path.Combine(folder, "charts.ipynb");
        await NotebookFiles.WriteAsync(document, path);

        _run = await new NotebookRunner().RunAsync(path);
        _run.FailedCells.Should().BeEmpty(string.Join(Environment.NewLine, _run.FailedCells.Select(c => WorkbookCli.DescribeFailure(_run, c))));
    }

    /// <summary>The runner's HTML export of the given cells, served on loopback (and kept beside the screenshots); returns its URL.</summary>
    public string Page(string name, string folder, bool requireShim, params int[] cells)
    {
        var run = _run ?? throw new InvalidOperationException("The notebook has not run.");
        var document = new InteractiveDocument { new InteractiveDocumentElement($"# Charts: {name}", "markdown") };
        foreach (var cell in cells)
        {
            var element = run.Document.Elements[cell];
            element.Outputs.Select(OutputData.Of).Should().Contain(d => d != null && d.ContainsKey("text/html"), $"cell {cell} shows a chart");
            document.Add(element);
        }

        var html = HtmlExport.Render(document, $"charts-{name}");
        if (requireShim)
        {
            // Stands in for the classic Jupyter page, which loads RequireJS before any output.
            html = html.Replace("<head>", "<head><script src=\"/require-shim.js\"></script>", StringComparison.Ordinal);
        }

        File.WriteAllText(Path.Combine(folder, $"{name}.html"), html);
        var pagePath = $"/pages/{name}-{Guid.NewGuid():N}.html";
        Server.Add(pagePath, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(html));
        return Server.Url(pagePath);
    }

    public Task DisposeAsync()
    {
        Server.Dispose();
        return Task.CompletedTask;
    }

    private static InteractiveDocumentElement Csharp(string code) => new(code, "csharp");

    /// <summary>
    /// A minimal AMD loader in place of RequireJS (not downloaded): <c>define</c> records the factory of the script
    /// being loaded; <c>require([url], ok, fail)</c> loads each URL with a script element and hands over its module.
    /// </summary>
    private const string RequireShim = """
        (function () {
          var modules = {}, pendingFactory = null;
          window.amdShim = { defines: 0, requires: [] };
          window.define = function (deps, factory) {
            if (typeof deps === 'function') { factory = deps; }
            window.amdShim.defines++;
            pendingFactory = factory;
          };
          window.define.amd = {};
          window.require = function (urls, ok, fail) {
            window.amdShim.requires.push(urls.join(','));
            Promise.all(urls.map(function (url) {
              if (modules[url]) return modules[url];
              return modules[url] = new Promise(function (resolve, reject) {
                var s = document.createElement('script');
                s.onload = function () { var f = pendingFactory; pendingFactory = null; resolve(f ? f() : undefined); };
                s.onerror = function () { delete modules[url]; reject(new Error('could not load ' + url)); };
                s.src = url;
                document.head.appendChild(s);
              });
            })).then(function (values) { if (ok) ok.apply(null, values); }, function (e) { if (fail) fail(e); });
          };
        })();
        """;
}
