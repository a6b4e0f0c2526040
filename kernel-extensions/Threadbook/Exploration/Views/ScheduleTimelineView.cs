using System.Globalization;
using System.Net;
using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Exploration.Views;

/// <summary>
/// A schedule as a grid: a lane per virtual thread and a column per step (the thread that takes the step shows what it
/// does; a blocked thread is hatched with what it waits for), then a row per shared variable and primitive with its
/// state after each step (changes highlighted). An HTML table with inline styles, in the trace timeline's colours; no script.
/// </summary>
internal sealed class ScheduleTimelineView(ScheduleRun run) : IRenderable
{
    /// <summary>Columns drawn at most; the step table has the rest.</summary>
    public const int MaxColumns = 120;

    private const int MaxTextCell = 22;
    private const string Cell = "padding:2px 6px;border:1px solid #ddd;";
    private const string Changed = "background:#fff3bf;font-weight:600;";
    private const string Finished = "background:#eee;";
    private const string Ready = "background:#fff;";
    private static readonly string Running = $"background:{TimelineColours.Running};color:#fff;";
    private static readonly string Blocked =
        $"background:repeating-linear-gradient(45deg,#f7c6a6 0 4px,#fde9dc 4px 8px);color:{TimelineColours.BlockedStripe};border-left:3px solid {TimelineColours.Blocked};";

    private IEnumerable<ScheduleStep> Shown => run.Steps.Take(MaxColumns);

    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<div style=\"font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:12px;color:#222;background:#fff;padding:4px;overflow-x:auto\">");
        html.Append("<table style=\"border-collapse:collapse;white-space:nowrap;margin:0\"><thead><tr>");
        Header(html, "step");
        Header(html, "start");
        foreach (var step in Shown)
        {
            Header(html, step.Number.ToString(CultureInfo.InvariantCulture));
        }

        Header(html, "end");
        html.Append("</tr></thead><tbody>");
        for (var thread = 0; thread < run.ThreadNames.Count; thread++)
        {
            html.Append("<tr>");
            RowHeader(html, run.ThreadNames[thread], "thread");
            html.Append(CultureInfo.InvariantCulture, $"<td style=\"{Cell}{Ready}\"></td>");
            foreach (var step in Shown)
            {
                var (text, style) = LaneCell(step.ThreadStates[thread], step.BlockedOn[thread], step, thread);
                Td(html, style, text, $"step {step.Number}: {run.ThreadNames[thread]} {Describe(step.ThreadStates[thread])}");
            }

            var (endText, endStyle) = EndCell(thread);
            Td(html, endStyle, endText, $"at the end: {endText}");
            html.Append("</tr>");
        }

        for (var row = 0; row < run.ObjectNames.Count; row++)
        {
            html.Append("<tr>");
            RowHeader(html, run.ObjectNames[row], run.ObjectKinds[row]);
            var previous = run.InitialValues.ElementAtOrDefault(row) ?? "";
            Td(html, Ready, previous, $"{run.ObjectNames[row]} before the first step");
            foreach (var step in Shown)
            {
                var value = step.ValuesAfter.ElementAtOrDefault(row) ?? "";
                Td(html, value == previous ? Ready : Changed, value, $"{run.ObjectNames[row]} after step {step.Number}");
                previous = value;
            }

            Td(html, Ready, previous, $"{run.ObjectNames[row]} at the end");
            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        html.Append("<div style=\"margin-top:3px;color:#444\">");
        Legend(html, Running, "takes the step");
        Legend(html, Blocked, "blocked (waits for …)");
        Legend(html, Finished, "finished");
        Legend(html, Changed, "value changed");
        if (run.Steps.Count > MaxColumns)
        {
            html.Append(CultureInfo.InvariantCulture, $" · steps {MaxColumns + 1}–{run.Steps.Count} are in the step table");
        }

        return html.Append("</div></div>").ToString();
    }

    public string ToText()
    {
        var headers = new List<string> { "step", "start" };
        headers.AddRange(Shown.Select(step => step.Number.ToString(CultureInfo.InvariantCulture)));
        headers.Add("end");
        var table = new Table([.. headers]);
        for (var thread = 0; thread < run.ThreadNames.Count; thread++)
        {
            var cells = new List<object?> { run.ThreadNames[thread], "" };
            cells.AddRange(Shown.Select(step => Clip(LaneCell(step.ThreadStates[thread], step.BlockedOn[thread], step, thread).Text)));
            cells.Add(EndCell(thread).Text);
            table.AddRow([.. cells]);
        }

        for (var row = 0; row < run.ObjectNames.Count; row++)
        {
            var cells = new List<object?> { run.ObjectNames[row], run.InitialValues.ElementAtOrDefault(row) ?? "" };
            cells.AddRange(Shown.Select(step => Clip(step.ValuesAfter.ElementAtOrDefault(row) ?? "")));
            cells.Add(run.Steps.Count > 0 ? run.Steps[^1].ValuesAfter.ElementAtOrDefault(row) ?? "" : run.InitialValues.ElementAtOrDefault(row) ?? "");
            table.AddRow([.. cells]);
        }

        return table.ToText();
    }

    private static (string Text, string Style) LaneCell(VirtualThreadState state, string? blockedOn, ScheduleStep step, int thread) => state switch
    {
        VirtualThreadState.Running when step.Thread == thread + 1 => (step.Action, Running),
        VirtualThreadState.Blocked => ($"waits: {blockedOn}", Blocked),
        VirtualThreadState.Finished => ("", Finished),
        _ => ("", Ready),
    };

    private (string Text, string Style) EndCell(int thread) => run.FinalStates.ElementAtOrDefault(thread) switch
    {
        VirtualThreadState.Finished => ("finished", Finished),
        VirtualThreadState.Blocked when run.Bug?.Kind == BugKind.Deadlock => ($"stuck: {run.FinalBlockedOn[thread]}", Blocked + $"font-weight:600;color:{TimelineColours.Deadlock};"),
        VirtualThreadState.Blocked => ($"waits: {run.FinalBlockedOn[thread]}", Blocked),
        _ => ("cut off", Ready),
    };

    private static string Describe(VirtualThreadState state) => state switch
    {
        VirtualThreadState.Running => "takes this step",
        VirtualThreadState.Blocked => "is blocked",
        VirtualThreadState.Finished => "has finished",
        _ => "could run but waits its turn",
    };

    private static string Clip(string text) => text.Length <= MaxTextCell ? text : string.Concat(text.AsSpan(0, MaxTextCell - 1), "…");

    private static void Header(StringBuilder html, string text) =>
        html.Append(CultureInfo.InvariantCulture, $"<th style=\"{Cell}background:#f3f3f3;font-weight:600\">{Encode(text)}</th>");

    private static void RowHeader(StringBuilder html, string name, string kind) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<th style=\"{Cell}background:#f3f3f3;text-align:left\" title=\"{Encode(kind)}\">{Encode(name)} <span style=\"color:#777;font-weight:400\">{Encode(kind)}</span></th>");

    private static void Td(StringBuilder html, string style, string text, string title) =>
        html.Append(CultureInfo.InvariantCulture, $"<td style=\"{Cell}{style}\" title=\"{Encode(title)}\">{Encode(text)}</td>");

    private static void Legend(StringBuilder html, string style, string text) =>
        html.Append(CultureInfo.InvariantCulture,
            $"<span style=\"display:inline-block;width:14px;height:10px;vertical-align:middle;border:1px solid #ccc;{style}\"></span> {Encode(text)} &#160; ");

    private static string Encode(string text) => WebUtility.HtmlEncode(SafeText.Clean(text));
}
