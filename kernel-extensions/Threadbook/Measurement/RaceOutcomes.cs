using System.Globalization;
using System.Net;
using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Measurement;

/// <summary>
/// The outcomes of running the same racy code many times: each distinct result with how often it came out.
/// A correct program has one outcome; a race shows several.
/// </summary>
public sealed class RaceOutcomes : IRenderable
{
    private readonly List<string> _runs = [];

    /// <summary>Starts an empty tally for code described by <paramref name="label"/>.</summary>
    public RaceOutcomes(string label) => Label = label;

    /// <summary>What ran.</summary>
    public string Label { get; }

    /// <summary>Each run's outcome, in run order.</summary>
    public IReadOnlyList<string> Runs => _runs;

    /// <summary>How many distinct outcomes the views list before summarising the rest.</summary>
    public const int ShownOutcomes = 20;

    /// <summary>Distinct outcomes, most frequent first (ties in order of first appearance).</summary>
    public IReadOnlyList<(string Outcome, int Count)> Distinct =>
        _runs.Select((o, i) => (o, i)).GroupBy(x => x.o)
            .Select(g => (Outcome: g.Key, Count: g.Count(), First: g.Min(x => x.i)))
            .OrderByDescending(g => g.Count).ThenBy(g => g.First)
            .Select(g => (g.Outcome, g.Count))
            .ToArray();

    /// <summary>Formats the value an attempt ended with as an outcome: invariant culture, "null" for null.</summary>
    public static string Describe(object? value) => value switch
    {
        null => "null",
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Formats an exception an attempt threw as an outcome: <c>threw</c> and the first line of the exception.</summary>
    public static string DescribeException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return "threw " + exception.ToString().Split('\n')[0].Trim();
    }

    /// <summary>True when the runs were cancelled before all of them were made (<see cref="Runs"/> has those made).</summary>
    public bool Cancelled { get; private set; }

    /// <summary>Records that the runs stopped early.</summary>
    internal void MarkCancelled() => Cancelled = true;

    /// <summary>Adds one run's outcome.</summary>
    public void Add(string outcome) => _runs.Add(outcome ?? "null");

    /// <inheritdoc />
    public string ToText()
    {
        var distinct = Distinct;
        var widest = Math.Max(1, distinct.Count == 0 ? 1 : distinct.Max(d => d.Count));
        var table = new Table("outcome", "runs", "share", "")
        {
            Caption = $"{Label}: {_runs.Count} run{(_runs.Count == 1 ? "" : "s")}, {distinct.Count} distinct outcome{(distinct.Count == 1 ? "" : "s")}",
        };
        foreach (var (outcome, count) in distinct.Take(ShownOutcomes))
        {
            table.AddRow(outcome, count, Share(count), new string('█', Math.Max(1, count * 30 / widest)));
        }

        if (distinct.Count > ShownOutcomes)
        {
            var rest = distinct.Skip(ShownOutcomes).ToArray();
            table.AddRow($"… {rest.Length} more outcomes", rest.Sum(r => r.Count), Share(rest.Sum(r => r.Count)), "");
        }

        return table.ToText();
    }

    /// <inheritdoc />
    public string ToHtml()
    {
        var distinct = Distinct;
        var widest = Math.Max(1, distinct.Count == 0 ? 1 : distinct.Max(d => d.Count));
        var html = new StringBuilder("<div class=\"threadbook-race\"><table><caption style=\"text-align:left\">")
            .Append(WebUtility.HtmlEncode($"{Label}: {_runs.Count} runs, {distinct.Count} distinct outcome{(distinct.Count == 1 ? "" : "s")}"))
            .Append("</caption><thead><tr><th>outcome</th><th>runs</th><th>share</th><th></th></tr></thead><tbody>");
        foreach (var (outcome, count) in distinct.Take(ShownOutcomes))
        {
            var width = Math.Max(2, count * 240 / widest);
            html.Append("<tr><td><code>").Append(WebUtility.HtmlEncode(outcome)).Append("</code></td><td>").Append(count)
                .Append("</td><td>").Append(Share(count)).Append("</td><td><svg width=\"").Append(width + 2)
                .Append("\" height=\"12\" role=\"img\"><rect width=\"").Append(width).Append("\" height=\"12\" fill=\"#0072B2\"/></svg></td></tr>");
        }

        if (distinct.Count > ShownOutcomes)
        {
            var rest = distinct.Skip(ShownOutcomes).Sum(r => r.Count);
            html.Append("<tr><td>").Append(WebUtility.HtmlEncode($"… {distinct.Count - ShownOutcomes} more outcomes")).Append("</td><td>")
                .Append(rest).Append("</td><td>").Append(Share(rest)).Append("</td><td></td></tr>");
        }

        return html.Append("</tbody></table></div>").ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToText();

    private string Share(int count) => (count / (double)Math.Max(1, _runs.Count)).ToString("P0", CultureInfo.InvariantCulture);
}
