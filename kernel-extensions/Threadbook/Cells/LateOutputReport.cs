using System.Net;
using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Cells;

/// <summary>Output that arrived after its cell ended, grouped by thread and cell, ready to show in the next cell.</summary>
public sealed class LateOutputReport(IReadOnlyList<LateOutput> entries) : IRenderable
{
    /// <summary>The kept output, in arrival order.</summary>
    public IReadOnlyList<LateOutput> Entries { get; } = entries;

    private IEnumerable<(string Source, string Stream, string Text, string? Html)> Groups()
    {
        // Consecutive writes from the same thread and stream read as one block; each display stands alone.
        var text = new StringBuilder();
        (string Source, string Stream)? current = null;
        foreach (var entry in Entries)
        {
            var source = $"thread {entry.ThreadName ?? "(unnamed)"} (#{entry.ThreadId})" + (entry.CellLabel is null ? "" : $", started in {entry.CellLabel}");
            if (current is { } c && (c.Source != source || c.Stream != entry.Stream || entry.Html is not null))
            {
                yield return (c.Source, c.Stream, text.ToString(), null);
                text.Clear();
                current = null;
            }

            if (entry.Html is not null)
            {
                yield return (source, entry.Stream, entry.Text, entry.Html);
                continue;
            }

            current = (source, entry.Stream);
            text.Append(entry.Text);
        }

        if (current is { } last)
        {
            yield return (last.Source, last.Stream, text.ToString(), null);
        }
    }

    /// <inheritdoc />
    public string ToText()
    {
        var text = new StringBuilder("Output that arrived after its cell had ended:");
        foreach (var (source, stream, body, _) in Groups())
        {
            text.AppendLine().Append($"[{source}{(stream == "stderr" ? ", stderr" : "")}]").AppendLine().Append(body.TrimEnd('\n', '\r'));
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"threadbook-late-output\" style=\"border-left:3px solid #9a6700;padding-left:8px\">")
            .Append("<strong>Output that arrived after its cell had ended</strong>");
        foreach (var (source, stream, body, markup) in Groups())
        {
            html.Append("<div><em>").Append(WebUtility.HtmlEncode(source)).Append(stream == "stderr" ? ", stderr" : "").Append("</em>");
            html.Append(markup ?? $"<pre style=\"margin:2px 0\">{WebUtility.HtmlEncode(body)}</pre>").Append("</div>");
        }

        return html.Append("</div>").ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToText();
}
