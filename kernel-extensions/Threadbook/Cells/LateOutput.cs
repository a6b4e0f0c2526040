namespace Threadbook.Cells;

/// <summary>Text a thread wrote after the cell that started it had ended.</summary>
/// <param name="Text">What was written.</param>
/// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="ThreadName">The writing thread's name, or null.</param>
/// <param name="ThreadId">The writing thread's managed id.</param>
/// <param name="CellLabel">The cell the thread belonged to, when known.</param>
/// <param name="At">When it was written.</param>
/// <param name="Html">For a late display: its HTML rendering, shown instead of <paramref name="Text"/> where HTML can be shown.</param>
public sealed record LateOutput(string Text, string Stream, string? ThreadName, int ThreadId, string? CellLabel, DateTimeOffset At, string? Html = null);
