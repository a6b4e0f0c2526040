using Microsoft.DotNet.Interactive.Documents;

namespace Threadbook.Workbook;

/// <summary>Counts the ✅ and ❌ marks that a notebook's check cells print.</summary>
public static class CheckMarks
{
    /// <summary>The mark a passing check prints.</summary>
    public const string Passed = "✅";

    /// <summary>The mark a failing check prints.</summary>
    public const string Failed = "❌";

    /// <summary>Counts marks in the text an output shows (plain text preferred over HTML, so a mark is not counted twice).</summary>
    public static (int Passed, int Failed) Count(IEnumerable<InteractiveDocumentOutputElement> outputs)
    {
        var passed = 0;
        var failed = 0;
        foreach (var output in outputs)
        {
            var text = VisibleText(output);
            passed += Occurrences(text, Passed);
            failed += Occurrences(text, Failed);
        }

        return (passed, failed);
    }

    /// <summary>The lines of <paramref name="text"/> that carry the failed mark: the claims that did not hold, to name them in a failure.</summary>
    public static IReadOnlyList<string> FailedLines(string text) =>
        [.. text.Split('\n').Select(line => line.Trim()).Where(line => line.Contains(Failed, StringComparison.Ordinal))];

    /// <summary>The lines of the outputs that carry the failed mark (plain text preferred over HTML, as <see cref="Count"/> reads them).</summary>
    public static IReadOnlyList<string> FailedLines(IEnumerable<InteractiveDocumentOutputElement> outputs) =>
        [.. outputs.SelectMany(output => FailedLines(VisibleText(output)))];

    private static string VisibleText(InteractiveDocumentOutputElement output) => output switch
    {
        TextElement t => t.Text,
        _ when OutputData.Of(output) is { } data =>
            (data.TryGetValue("text/plain", out var plain) ? plain : data.TryGetValue("text/html", out var html) ? html : null)?.ToString() ?? "",
        _ => "",
    };

    private static int Occurrences(string text, string mark)
    {
        var count = 0;
        for (var i = text.IndexOf(mark, StringComparison.Ordinal); i >= 0; i = text.IndexOf(mark, i + mark.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
