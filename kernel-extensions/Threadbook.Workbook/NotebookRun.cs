using Microsoft.DotNet.Interactive.Documents;

namespace Threadbook.Workbook;

/// <summary>The result of running one notebook: its executed document and every code cell's outcome.</summary>
/// <param name="SourcePath">The notebook that was run.</param>
/// <param name="Document">The notebook with outputs filled in.</param>
/// <param name="Cells">The code cells that ran, in order.</param>
/// <param name="Elapsed">Wall time for the whole notebook, kernel start included.</param>
public sealed record NotebookRun(
    string SourcePath,
    InteractiveDocument Document,
    IReadOnlyList<CellRun> Cells,
    TimeSpan Elapsed)
{
    /// <summary>The notebook's file name without extension.</summary>
    public string Name => Path.GetFileNameWithoutExtension(SourcePath);

    /// <summary>True when every code cell succeeded.</summary>
    public bool Succeeded => Cells.All(c => c.Succeeded);

    /// <summary>Code cells that failed.</summary>
    public IEnumerable<CellRun> FailedCells => Cells.Where(c => !c.Succeeded);

    /// <summary>Total ✅ marks across the notebook.</summary>
    public int ChecksPassed => Cells.Sum(c => c.ChecksPassed);

    /// <summary>Total ❌ marks across the notebook.</summary>
    public int ChecksFailed => Cells.Sum(c => c.ChecksFailed);
}
