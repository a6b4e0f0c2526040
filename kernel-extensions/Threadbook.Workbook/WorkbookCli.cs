using System.Globalization;
using System.Text;

namespace Threadbook.Workbook;

/// <summary>
/// The workbook's command line:
/// <c>run [notebooks or folders…] [--out DIR] [--cell-timeout SECONDS] [--answer PROMPT=VALUE] [--no-pack]</c> (the default),
/// <c>pack</c>, <c>jupyter-install</c>, <c>convert IN OUT</c> (.ipynb ⇄ .dib) and <c>strip NOTEBOOK…</c>.
/// </summary>
public static class WorkbookCli
{
    private const string Usage = """
        Threadbook workbook runner

          run [PATH...] [--out DIR] [--cell-timeout SECONDS] [--answer PROMPT=VALUE]... [--no-pack]
              Execute notebooks (files or folders; default: notebooks/) in a fresh kernel each, with the
              Threadbook extension loaded the way their first cell asks. Writes executed .ipynb copies and
              HTML pages to DIR (default: artifacts/workbook), prints a summary, exits 1 if any cell failed.
              Packs the extension first when its sources changed since the last pack (unless --no-pack).
              Input prompts are answered from --answer, else from the notebook's metadata (threadbook.inputs).
          pack
              Pack Threadbook and Threadbook.Interactive into artifacts/packages with a fresh version.
          jupyter-install
              Pack if needed, restore the pinned dotnet-interactive tool and register its C# kernel for
              Jupyter in artifacts/jupyter (bound to loopback). Then: JUPYTER_PATH=artifacts/jupyter jupyter lab
          convert IN OUT
              Convert a notebook between .ipynb and .dib.
          strip NOTEBOOK...
              Remove outputs and execution counts in place (notebooks are kept stripped in git).
        """;

    /// <summary>Runs the command line; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        try
        {
            return args switch
            {
                ["-h" or "--help" or "help", ..] => Help(output),
                ["pack", .. var rest] when rest.Length == 0 => await PackAsync(output),
                ["jupyter-install"] => await JupyterInstallAsync(output),
                ["convert", var from, var to] => await ConvertAsync(from, to, output),
                ["convert", ..] => Fail(error, "convert takes exactly two paths: IN OUT."),
                ["strip", .. var paths] when paths.Length > 0 => await StripAsync(paths, output),
                ["strip"] => Fail(error, "strip needs at least one notebook path."),
                ["run", .. var rest] => await RunNotebooksAsync(rest, output, error),
                _ => await RunNotebooksAsync(args, output, error),
            };
        }
        catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            return Fail(error, e.Message);
        }
    }

    private static int Help(TextWriter output)
    {
        output.WriteLine(Usage);
        return 0;
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        error.WriteLine("Run with --help for usage.");
        return 2;
    }

    private static LocalFeed RequireFeed() =>
        LocalFeed.Find(Environment.CurrentDirectory)
        ?? LocalFeed.Find(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException("Cannot find the Threadbook repository (Notebooks.sln) above the current folder.");

    private static async Task<int> PackAsync(TextWriter output)
    {
        await RequireFeed().PackAsync(output);
        return 0;
    }

    private static async Task<int> JupyterInstallAsync(TextWriter output)
    {
        var feed = RequireFeed();
        await feed.EnsurePackedAsync(output);
        await JupyterKernelSpec.InstallAsync(feed.RepositoryRoot, output);
        return 0;
    }

    private static async Task<int> ConvertAsync(string from, string to, TextWriter output)
    {
        var document = await NotebookFiles.ReadAsync(from);
        await NotebookFiles.WriteAsync(document, to);
        output.WriteLine($"Wrote {to}");
        return 0;
    }

    private static async Task<int> StripAsync(IEnumerable<string> paths, TextWriter output)
    {
        foreach (var path in paths)
        {
            var document = await NotebookFiles.ReadAsync(path);
            NotebookFiles.StripOutputs(document);
            await NotebookFiles.WriteAsync(document, path);
            output.WriteLine($"Stripped {path}");
        }

        return 0;
    }

    private static async Task<int> RunNotebooksAsync(string[] args, TextWriter output, TextWriter error)
    {
        var paths = new List<string>();
        string? outDir = null;
        var pack = true;
        var cellTimeout = TimeSpan.FromMinutes(3);
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" when i + 1 < args.Length:
                    outDir = args[++i];
                    break;
                case "--cell-timeout" when i + 1 < args.Length:
                    cellTimeout = double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
                        ? TimeSpan.FromSeconds(s)
                        : throw new ArgumentException($"--cell-timeout needs a positive number of seconds, got '{args[i]}'.");
                    break;
                case "--answer" when i + 1 < args.Length:
                    var answer = NotebookInputs.ParseAnswer(args[++i]);
                    answers[answer.Key] = answer.Value;
                    break;
                case "--no-pack":
                    pack = false;
                    break;
                case var option when option.StartsWith('-'):
                    throw new ArgumentException($"Unknown option '{option}' (or it is missing its value).");
                default:
                    paths.Add(args[i]);
                    break;
            }
        }

        var feed = RequireFeed();
        if (paths.Count == 0)
        {
            paths.Add(Path.Combine(feed.RepositoryRoot, "notebooks"));
        }

        var notebooks = ExpandNotebooks(paths);
        outDir ??= Path.Combine(feed.RepositoryRoot, "artifacts", "workbook");
        Directory.CreateDirectory(outDir);

        if (pack)
        {
            var version = await feed.EnsurePackedAsync(output);
            output.WriteLine($"Notebooks will load Threadbook.Interactive {version} from {feed.PackagesFolder}");
        }

        var runner = new NotebookRunner { CellTimeout = cellTimeout, Answers = answers };
        var runs = new List<NotebookRun>();
        foreach (var notebook in notebooks)
        {
            output.WriteLine($"Running {Path.GetFileName(notebook)} …");
            var run = await runner.RunAsync(notebook);
            runs.Add(run);
            await NotebookFiles.WriteAsync(run.Document, Path.Combine(outDir, run.Name + ".ipynb"));
            await File.WriteAllTextAsync(Path.Combine(outDir, run.Name + ".html"), HtmlExport.Render(run.Document, run.Name));
            foreach (var cell in run.FailedCells)
            {
                error.WriteLine(DescribeFailure(run, cell));
            }
        }

        output.WriteLine();
        output.WriteLine(Summary(runs));
        output.WriteLine($"Executed notebooks and HTML pages: {Path.GetFullPath(outDir)}");
        return runs.All(r => r.Succeeded) ? 0 : 1;
    }

    /// <summary>Notebook files named directly, or found (sorted) in named folders.</summary>
    internal static IReadOnlyList<string> ExpandNotebooks(IEnumerable<string> paths)
    {
        var notebooks = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                notebooks.AddRange(Directory.EnumerateFiles(path, "*.ipynb").Order(StringComparer.Ordinal));
            }
            else if (File.Exists(path))
            {
                notebooks.Add(path);
            }
            else
            {
                throw new FileNotFoundException($"No notebook or folder at '{Path.GetFullPath(path)}'.");
            }
        }

        return notebooks.Count > 0 ? notebooks : throw new ArgumentException($"No .ipynb notebooks found in {string.Join(", ", paths)}.");
    }

    internal static string DescribeFailure(NotebookRun run, CellRun cell)
    {
        var text = new StringBuilder($"FAILED {run.Name}, cell {cell.Number}:");
        foreach (var message in cell.Errors)
        {
            text.AppendLine().Append("  ").Append(message.ReplaceLineEndings(Environment.NewLine + "  "));
        }

        if (cell.ChecksFailed > 0)
        {
            text.AppendLine().Append($"  {cell.ChecksFailed} check(s) printed {CheckMarks.Failed}:");
            foreach (var line in CheckMarks.FailedLines(cell.Outputs))
            {
                text.AppendLine().Append("    ").Append(line);
            }
        }

        return text.ToString();
    }

    internal static string Summary(IReadOnlyList<NotebookRun> runs)
    {
        string[] headers = ["notebook", "cells", "passed", "failed", "checks ✅/❌", "seconds"];
        var rows = runs.Select(r => new[]
        {
            r.Name,
            r.Cells.Count.ToString(CultureInfo.InvariantCulture),
            r.Cells.Count(c => c.Succeeded).ToString(CultureInfo.InvariantCulture),
            r.FailedCells.Count().ToString(CultureInfo.InvariantCulture),
            $"{r.ChecksPassed}/{r.ChecksFailed}",
            r.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture),
        }).ToList();
        var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        var failed = runs.Count(r => !r.Succeeded);
        text.Append(failed == 0 ? $"All {runs.Count} notebook(s) ran clean." : $"{failed} of {runs.Count} notebook(s) had failing cells.");
        return text.ToString();
    }
}
