using System.Globalization;
using System.Text;
using Threadbook.Threading;
using Threadbook.Rendering;

namespace Threadbook.Exploration.Views;

/// <summary>
/// A deadlock's wait-for cycle as a small inline SVG: thread → waits for → lock → held by → thread → … and an arrow back
/// to the first thread. No script, no external resources.
/// </summary>
internal static class WaitForCycleDrawing
{
    private const int NodeWidth = 104;
    private const int Gap = 58;
    private const int Top = 26;
    private const int NodeHeight = 24;
    private static int s_drawings;

    public static string Svg(IReadOnlyList<DeadlockStep> cycle)
    {
        var nodes = new List<(string Text, bool IsThread)>();
        foreach (var step in cycle)
        {
            nodes.Add((step.ThreadName ?? $"thread {step.ThreadId}", true));
            nodes.Add((step.WaitsFor, false));
        }

        // Unique on a page that shows several drawings: a marker resolved in another, hidden, drawing would not show.
        var arrowId = $"tb{(uint)HashCode.Combine(Environment.ProcessId, Interlocked.Increment(ref s_drawings)):x}-cycle-arrow";
        var width = 12 + (nodes.Count * (NodeWidth + Gap));
        const int height = Top + NodeHeight + 40;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" style=\"max-width:100%;height:auto;background:#fff\" ");
        svg.Append("font-family=\"system-ui,-apple-system,'Segoe UI',sans-serif\" font-size=\"11\" role=\"img\">");
        svg.Append("<title>The wait-for cycle of the deadlock</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<defs><marker id=\"{arrowId}\" markerWidth=\"8\" markerHeight=\"8\" refX=\"7\" refY=\"4\" orient=\"auto\"><path d=\"M0,0L8,4L0,8z\" fill=\"{TimelineColours.Deadlock}\"/></marker></defs>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"6\" y=\"14\" font-weight=\"600\" fill=\"{TimelineColours.Deadlock}\">wait-for cycle</text>");
        for (var i = 0; i < nodes.Count; i++)
        {
            var x = 6 + (i * (NodeWidth + Gap));
            var (text, isThread) = nodes[i];
            var (radius, fill, stroke) = isThread ? (4, TimelineColours.Running, "none") : (12, "#fde9dc", TimelineColours.Blocked);
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x}\" y=\"{Top}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"{radius}\" fill=\"{fill}\" stroke=\"{stroke}\"/>");
            svg.Append(CultureInfo.InvariantCulture,
                $"<text x=\"{x + (NodeWidth / 2)}\" y=\"{Top + 16}\" text-anchor=\"middle\" fill=\"{(isThread ? "#fff" : "#222")}\">{SafeText.Xml(SafeText.Truncate(SafeText.Clean(text), 16))}</text>");
            if (i + 1 < nodes.Count)
            {
                Arrow(svg, x + NodeWidth, x + NodeWidth + Gap, isThread ? "waits for" : "held by", arrowId);
            }
        }

        // Back from the last lock to the first thread, under the row.
        var lastX = 6 + ((nodes.Count - 1) * (NodeWidth + Gap)) + (NodeWidth / 2);
        const int firstX = 6 + (NodeWidth / 2);
        const int below = Top + NodeHeight;
        svg.Append(CultureInfo.InvariantCulture,
            $"<path d=\"M{lastX},{below} C{lastX},{below + 30} {firstX},{below + 30} {firstX},{below + 2}\" fill=\"none\" stroke=\"{TimelineColours.Deadlock}\" stroke-width=\"1.4\" marker-end=\"url(#{arrowId})\"/>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{(lastX + firstX) / 2}\" y=\"{below + 34}\" text-anchor=\"middle\" fill=\"#444\">held by</text>");
        return svg.Append("</svg>").ToString();
    }

    private static void Arrow(StringBuilder svg, int from, int to, string label, string arrowId)
    {
        const int y = Top + (NodeHeight / 2);
        svg.Append(CultureInfo.InvariantCulture,
            $"<path d=\"M{from + 2},{y}H{to - 3}\" stroke=\"{TimelineColours.Deadlock}\" stroke-width=\"1.4\" marker-end=\"url(#{arrowId})\"/>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{(from + to) / 2}\" y=\"{Top - 4}\" text-anchor=\"middle\" fill=\"#444\">{label}</text>");
    }
}
