using System.Globalization;

namespace Threadbook.Exploration.Views;

/// <summary>How the explorer shows a value in steps, timelines and outcomes: invariant culture, short.</summary>
internal static class ValueText
{
    private const int MaxLength = 40;

    public static string Of(object? value)
    {
        var text = value switch
        {
            null => "null",
            bool flag => flag ? "true" : "false",
            string s => s,
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
        return text.Length <= MaxLength ? text : string.Concat(text.AsSpan(0, MaxLength - 1), "…");
    }
}
