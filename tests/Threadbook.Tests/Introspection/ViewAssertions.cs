using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Threadbook.Rendering;

namespace Threadbook.Tests.Introspection;

/// <summary>What every concurrency view must do, asserted once: both renderings, the same facts, under 2 KB, no failure.</summary>
internal static class ViewAssertions
{
    public const int MaxBytes = 2048;

    /// <summary>Asserts both renderings carry every fragment (HTML-escaped in the HTML) and stay small; returns the text.</summary>
    public static string ShouldShowInBoth(this IRenderable view, params string[] fragments)
    {
        var html = view.ToHtml();
        var text = view.ToText();

        html.Should().StartWith("<table>").And.NotContain("could not be shown");
        text.Should().NotContain("could not be shown");
        Encoding.UTF8.GetByteCount(html).Should().BeLessThan(MaxBytes);
        Encoding.UTF8.GetByteCount(text).Should().BeLessThan(MaxBytes);
        foreach (var fragment in fragments)
        {
            text.Should().Contain(fragment);
            html.Should().Contain(WebUtility.HtmlEncode(fragment));
        }

        return text;
    }

    /// <summary>Asserts both renderings have the row <paramref name="fact"/> whose value starts with <paramref name="valueStart"/>.</summary>
    public static void ShouldHaveFact(this IRenderable view, string fact, string valueStart)
    {
        view.ToText().Should().MatchRegex($"(?m)^{Regex.Escape(fact)} +{Regex.Escape(valueStart)}");
        view.ToHtml().Should().Contain($"<td>{WebUtility.HtmlEncode(fact)}</td><td>{WebUtility.HtmlEncode(valueStart)}");
    }
}
