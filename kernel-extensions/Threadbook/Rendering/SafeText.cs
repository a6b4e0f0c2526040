using System.Text;

namespace Threadbook.Rendering;

/// <summary>
/// Makes names and labels safe to put in SVG, HTML and JSON. Thread and object names come from user code and
/// may hold anything: markup characters, control characters, lone surrogates.
/// </summary>
internal static class SafeText
{
    /// <summary>
    /// The text with every character XML 1.0 forbids (most control characters, lone surrogates, U+FFFE/U+FFFF)
    /// replaced by U+FFFD; one such character makes a whole SVG unreadable, and a lone surrogate makes the JSON
    /// writer throw.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        StringBuilder? cleaned = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var valid = char.IsHighSurrogate(c)
                ? i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(text[i - 1]));
            valid &= c >= 0x20 ? c is not ('\uFFFE' or '\uFFFF') : c is '\t' or '\n' or '\r';
            if (!valid)
            {
                cleaned ??= new StringBuilder(text, 0, i, text.Length);
                cleaned.Append('\uFFFD');
            }
            else
            {
                cleaned?.Append(c);
            }
        }

        return cleaned?.ToString() ?? text;
    }

    /// <summary>At most <paramref name="maxChars"/> characters, ending in an ellipsis when cut (never inside a surrogate pair).</summary>
    public static string Truncate(string text, int maxChars)
    {
        if (text.Length <= maxChars)
        {
            return text;
        }

        var cut = Math.Max(0, maxChars - 1);
        if (cut > 0 && char.IsHighSurrogate(text[cut - 1]))
        {
            cut--;
        }

        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>The cleaned text, escaped for XML text and attribute values.</summary>
    public static string Xml(string? text)
    {
        var clean = Clean(text);
        if (clean.AsSpan().IndexOfAny("&<>\"'") < 0)
        {
            return clean;
        }

        var escaped = new StringBuilder(clean.Length + 16);
        foreach (var c in clean)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        }

        return escaped.ToString();
    }
}
