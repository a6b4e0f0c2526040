using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Formatting;

namespace Threadbook.Workbook;

/// <summary>
/// Runs a notebook headless in a fresh in-process kernel, cell by cell, from the notebook's own folder
/// (so its <c>nuget.config</c> applies, as in Jupyter), and records every cell's outputs and outcome.
/// A cell that does not finish within <see cref="CellTimeout"/> is cancelled and counted as failed.
/// </summary>
public sealed class NotebookRunner
{
    // The working directory and the formatter are process-wide: one notebook at a time.
    private static readonly SemaphoreSlim OneAtATime = new(1, 1);

    /// <summary>How long one cell may run before it is cancelled and failed.</summary>
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Answers to the notebooks' input prompts, by exact prompt text; they override the defaults a notebook
    /// carries in its metadata (<c>"threadbook": { "inputs": { "prompt": "answer" } }</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> Answers { get; init; } = new Dictionary<string, string>();

    /// <summary>Runs the notebook at <paramref name="path"/>.</summary>
    public async Task<NotebookRun> RunAsync(string path, CancellationToken cancellationToken = default)
    {
        var fullPath = Path.GetFullPath(path);
        var document = await NotebookFiles.ReadAsync(fullPath);

        await OneAtATime.WaitAsync(cancellationToken);
        var previousDirectory = Environment.CurrentDirectory;
        var stopwatch = Stopwatch.StartNew();
        try
        {
            Environment.CurrentDirectory = Path.GetDirectoryName(fullPath)!;
            Formatter.ResetToDefault();
            var answers = NotebookInputs.DefaultsOf(document);
            foreach (var (prompt, answer) in Answers)
            {
                answers[prompt] = answer;
            }

            using var kernel = WorkbookKernel.Create(answerInput: prompt => answers.GetValueOrDefault(prompt.Trim()));
            var cells = new List<CellRun>();
            var executionOrder = 0;
            for (var i = 0; i < document.Elements.Count; i++)
            {
                var element = document.Elements[i];
                if (NotebookFiles.IsMarkdown(element))
                {
                    continue;
                }

                var cell = await RunCellAsync(kernel, element, i + 1, cancellationToken);
                element.ExecutionOrder = ++executionOrder;
                element.Outputs.Clear();
                element.Outputs.AddRange(cell.Outputs);
                cells.Add(cell);
            }

            return new NotebookRun(fullPath, document, cells, stopwatch.Elapsed);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            Formatter.ResetToDefault();
            OneAtATime.Release();
        }
    }

    private async Task<CellRun> RunCellAsync(Kernel kernel, InteractiveDocumentElement element, int number, CancellationToken cancellationToken)
    {
        var kernelName = element.KernelName ?? NotebookFiles.DefaultKernelName;
        var collector = new CellOutputCollector();
        var stopwatch = Stopwatch.StartNew();

        // The tool shows every event published while the cell runs, including those of child commands
        // such as a package's extension.dib; the command's own result lacks those, so listen to the kernel.
        using (kernel.KernelEvents.Subscribe(collector.Add))
        {
            var submission = kernel.SendAsync(new SubmitCode(element.Contents, kernelName), cancellationToken);
            var finished = await Task.WhenAny(submission, Task.Delay(CellTimeout, cancellationToken));
            if (finished != submission)
            {
                await kernel.SendAsync(new Cancel(), CancellationToken.None);
                await Task.WhenAny(submission, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None));
                collector.AddError($"Cell {number} did not finish within {CellTimeout.TotalSeconds:0} s and was cancelled.");
            }
        }

        var (outputs, errors) = collector.Snapshot();
        var (passed, failed) = CheckMarks.Count(outputs);
        return new CellRun(number, kernelName, outputs, errors, passed, failed, stopwatch.Elapsed);
    }
}
