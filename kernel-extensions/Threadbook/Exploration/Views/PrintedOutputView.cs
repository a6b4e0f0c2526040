using System.Globalization;
using System.Net;
using System.Text;
using Threadbook.Exploration.Execution;
using Threadbook.Rendering;

namespace Threadbook.Exploration.Views;

/// <summary>
/// What a schedule printed, under the heading "What this schedule printed": a <c>&lt;pre&gt;</c> in an open
/// <c>&lt;details&gt;</c> (no script), or indented text lines. Renders as nothing when the schedule printed nothing.
/// </summary>
internal sealed class PrintedOutputView(ScheduleRun run) : IRenderable
{
    private const string Heading = "What this schedule printed";

    public string ToHtml()
    {
        if (IsEmpty)
        {
            return "";
        }

        var html = new StringBuilder("<details open><summary>").Append(WebUtility.HtmlEncode(Summary)).Append("</summary>");
        html.Append("<pre style=\"margin:4px 0;padding:4px 8px;background:#f6f6f6;white-space:pre-wrap\">");
        html.AppendJoin("\n", run.Output.Select(WebUtility.HtmlEncode));
        if (Dropped is { } dropped)
        {
            html.Append('\n').Append(WebUtility.HtmlEncode(dropped));
        }

        return html.Append("</pre></details>").ToString();
    }

    public string ToText()
    {
        if (IsEmpty)
        {
            return "";
        }

        var text = new StringBuilder(Heading).Append(':');
        foreach (var line in run.Output.Append(Dropped).OfType<string>())
        {
            text.Append("\n  ").Append(line);
        }

        return text.ToString();
    }

    private bool IsEmpty => run.Output.Count == 0 && run.OutputLinesDropped == 0;

    private string Summary => $"{Heading} ({N(run.Output.Count + run.OutputLinesDropped)} line{(run.Output.Count + run.OutputLinesDropped == 1 ? "" : "s")})";

    private string? Dropped => run.OutputLinesDropped > 0
        ? $"… and {N(run.OutputLinesDropped)} more line{(run.OutputLinesDropped == 1 ? "" : "s")}, not kept (only the first {N(ScheduleOutputCapture.MaxLines)} are)"
        : null;

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
