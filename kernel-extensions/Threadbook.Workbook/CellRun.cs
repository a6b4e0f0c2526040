using Microsoft.DotNet.Interactive.Documents;

namespace Threadbook.Workbook;

/// <summary>What happened when one cell of a notebook ran.</summary>
/// <param name="Number">The cell's 1-based position in the notebook (markdown cells count too), as a notebook front end shows it.</param>
/// <param name="KernelName">The kernel the cell ran on.</param>
/// <param name="Outputs">The outputs, in the form an executed .ipynb stores them.</param>
/// <param name="Errors">Why the cell failed: command failures, errors, a timeout. Empty when it succeeded.</param>
/// <param name="ChecksPassed">How many ✅ marks the cell's output contains.</param>
/// <param name="ChecksFailed">How many ❌ marks the cell's output contains.</param>
/// <param name="Elapsed">Wall time the cell took.</param>
public sealed record CellRun(
    int Number,
    string KernelName,
    IReadOnlyList<InteractiveDocumentOutputElement> Outputs,
    IReadOnlyList<string> Errors,
    int ChecksPassed,
    int ChecksFailed,
    TimeSpan Elapsed)
{
    /// <summary>True when the cell raised no error and printed no ❌.</summary>
    public bool Succeeded => Errors.Count == 0 && ChecksFailed == 0;
}
