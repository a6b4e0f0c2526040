using System.Net;
using Threadbook.Rendering;

namespace Threadbook.Cells;

/// <summary>
/// An exception that escaped a thread, reported the way Python's <c>threading.excepthook</c> prints it:
/// which thread, which exception, the message and the stack.
/// </summary>
/// <param name="ThreadName">The thread's name, or null.</param>
/// <param name="ThreadId">The managed thread id.</param>
/// <param name="Exception">The exception.</param>
/// <param name="CellLabel">The cell that started the thread, when known.</param>
public sealed record ThreadExceptionReport(string? ThreadName, int ThreadId, Exception Exception, string? CellLabel) : IRenderable
{
    /// <summary>The first line: "Exception in thread worker-1 (#12)".</summary>
    public string Headline => $"Exception in thread {ThreadName ?? "(unnamed)"} (#{ThreadId})" + (CellLabel is null ? "" : $", started in {CellLabel}");

    /// <inheritdoc />
    public string ToText() =>
        $"{Headline}:{Environment.NewLine}{Exception.GetType().FullName}: {Exception.Message}{Environment.NewLine}{Exception.StackTrace}" +
        $"{Environment.NewLine}(Threadbook kept the process alive; the thread was stopped.)";

    /// <inheritdoc />
    public string ToHtml() =>
        "<div class=\"threadbook-thread-exception\" style=\"border-left:3px solid #cf222e;padding-left:8px\">" +
        $"<strong>{WebUtility.HtmlEncode(Headline)}</strong>" +
        $"<pre style=\"color:#cf222e;margin:4px 0\">{WebUtility.HtmlEncode($"{Exception.GetType().FullName}: {Exception.Message}")}</pre>" +
        $"<details><summary>stack</summary><pre>{WebUtility.HtmlEncode(Exception.StackTrace ?? "")}</pre></details>" +
        "<div><em>Threadbook kept the process alive; the thread was stopped.</em></div></div>";

    /// <inheritdoc />
    public override string ToString() => ToText();
}
