using System.Net;
using System.Text;

namespace Threadbook.Rendering;

/// <summary>
/// A small table rendered both as HTML and as aligned plain text, so every view in Threadbook has
/// twin renderings built from one description.
/// </summary>
public sealed class Table : IRenderable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    public Table(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(headers));
        }

        _headers = headers;
    }

    /// <summary>An optional caption shown above the table.</summary>
    public string? Caption { get; init; }

    /// <summary>Number of data rows added so far.</summary>
    public int RowCount => _rows.Count;

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public Table AddRow(params object?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException(
                $"The row has {cells.Length} cells but the table has {_headers.Length} columns ({string.Join(", ", _headers)}).",
                nameof(cells));
        }

        _rows.Add(cells.Select(c => c?.ToString() ?? "").ToArray());
        return this;
    }

    /// <summary>Renders an HTML table (escaped, no styles beyond alignment).</summary>
    public string ToHtml()
    {
        var html = new StringBuilder();
        html.Append("<table>");
        if (Caption is not null)
        {
            html.Append("<caption style=\"text-align:left\">").Append(WebUtility.HtmlEncode(Caption)).Append("</caption>");
        }

        html.Append("<thead><tr>");
        foreach (var header in _headers)
        {
            html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var row in _rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
            {
                html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
        return html.ToString();
    }

    /// <summary>Renders the table as aligned columns of plain text.</summary>
    public string ToText()
    {
        var widths = _headers.Select(h => h.Length).ToArray();
        foreach (var row in _rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        if (Caption is not null)
        {
            text.AppendLine(Caption);
        }

        AppendLine(text, _headers, widths);
        AppendLine(text, widths.Select(w => new string('-', w)).ToArray(), widths);
        foreach (var row in _rows)
        {
            AppendLine(text, row, widths);
        }

        return text.ToString().TrimEnd('\n', '\r');
    }

    private static void AppendLine(StringBuilder text, string[] cells, int[] widths)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                text.Append("  ");
            }

            text.Append(i == cells.Length - 1 ? cells[i] : cells[i].PadRight(widths[i]));
        }

        text.AppendLine();
    }
}
