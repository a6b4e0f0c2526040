using System.Net;
using System.Text;
using Markdig;
using Microsoft.DotNet.Interactive.Documents;

namespace Threadbook.Workbook;

/// <summary>
/// Renders an executed notebook as one HTML page (its own styles; scripts only where an output brings them, such as a chart loading plotly.js), so a
/// person can read the results in any browser without a notebook front end.
/// </summary>
public static class HtmlExport
{
    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1f2328;line-height:1.5}
        .cell{margin:1rem 0}
        .code{border-left:3px solid #0969da;background:#f6f8fa;padding:.5rem .75rem;overflow-x:auto}
        .label{font:12px monospace;color:#57606a}
        .output{padding:.25rem .75rem;overflow-x:auto}
        .output pre,.code pre{margin:0;font:13px/1.4 ui-monospace,monospace;white-space:pre-wrap}
        .stderr pre{color:#9a6700}
        .error{background:#ffebe9;border-left:3px solid #cf222e}
        .error pre{color:#cf222e}
        table{border-collapse:collapse;margin:.25rem 0}
        th,td{border:1px solid #d0d7de;padding:2px 8px;text-align:left;font-size:13px}
        caption{font-weight:600;padding:2px 0}
        """;

    /// <summary>Renders <paramref name="document"/> with the given page title.</summary>
    public static string Render(InteractiveDocument document, string title)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(WebUtility.HtmlEncode(title))
            .Append("</title><style>").Append(Style).Append("</style></head><body>");

        foreach (var element in document.Elements)
        {
            html.Append("<section class=\"cell\">");
            if (NotebookFiles.IsMarkdown(element))
            {
                html.Append("<div class=\"markdown\">").Append(Markdig.Markdown.ToHtml(element.Contents, Markdown)).Append("</div>");
            }
            else
            {
                html.Append("<div class=\"label\">In [").Append(element.ExecutionOrder).Append("]</div>")
                    .Append("<div class=\"code\"><pre><code>").Append(WebUtility.HtmlEncode(element.Contents)).Append("</code></pre></div>");
                foreach (var output in element.Outputs)
                {
                    AppendOutput(html, output);
                }
            }

            html.Append("</section>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static void AppendOutput(StringBuilder html, InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case TextElement text:
                html.Append("<div class=\"output ").Append(text.Name == "stderr" ? "stderr" : "stdout").Append("\"><pre>")
                    .Append(WebUtility.HtmlEncode(text.Text)).Append("</pre></div>");
                break;
            case ErrorElement error:
                html.Append("<div class=\"output error\"><pre>")
                    .Append(WebUtility.HtmlEncode($"{error.ErrorName}: {error.ErrorValue}")).Append("</pre></div>");
                break;
            case var _ when OutputData.Of(output) is { } data:
                html.Append("<div class=\"output\">");
                if (data.TryGetValue("text/html", out var markup) || data.TryGetValue("image/svg+xml", out markup))
                {
                    html.Append(markup);
                }
                else if (data.TryGetValue("text/markdown", out var markdown))
                {
                    html.Append(Markdig.Markdown.ToHtml(markdown?.ToString() ?? "", Markdown));
                }
                else if (data.TryGetValue("text/plain", out var plain))
                {
                    html.Append("<pre>").Append(WebUtility.HtmlEncode(plain?.ToString() ?? "")).Append("</pre>");
                }

                html.Append("</div>");
                break;
        }
    }
}
