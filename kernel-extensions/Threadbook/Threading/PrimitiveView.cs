using System.Net;
using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// The one-row table every traced primitive renders (name, kind, state, waiters), kept under 2 KB by
/// clipping long names and listing only the first few waiters, and never throwing.
/// </summary>
internal static class PrimitiveView
{
    public const int MaxListedThreads = 5;
    public const int MaxTextLength = 60;

    public static string Html(string name, string kind, Func<string> state, Func<IReadOnlyList<Thread>> waiters)
    {
        try
        {
            return Table(name, kind, state(), waiters()).ToHtml();
        }
        catch (Exception exception)
        {
            return $"<pre>{WebUtility.HtmlEncode(Fallback(name, kind, exception))}</pre>";
        }
    }

    public static string Text(string name, string kind, Func<string> state, Func<IReadOnlyList<Thread>> waiters)
    {
        try
        {
            return Table(name, kind, state(), waiters()).ToText();
        }
        catch (Exception exception)
        {
            return Fallback(name, kind, exception);
        }
    }

    /// <summary><c>none</c>, or the first few thread labels and how many more there are.</summary>
    public static string Threads(IReadOnlyList<Thread> threads)
    {
        if (threads.Count == 0)
        {
            return "none";
        }

        var listed = threads.Take(MaxListedThreads).Select(thread => Clip(ThreadLabel.Of(thread)));
        var more = threads.Count > MaxListedThreads ? $" and {threads.Count - MaxListedThreads} more" : "";
        return string.Join(", ", listed) + more;
    }

    public static string Clip(string text) =>
        text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 1), "…");

    private static Table Table(string name, string kind, string state, IReadOnlyList<Thread> waiters) =>
        new Table("name", "kind", "state", "waiters").AddRow(Clip(name), kind, state, Threads(waiters));

    private static string Fallback(string name, string kind, Exception exception) =>
        $"{kind} '{Clip(name)}' (state unavailable: {exception.GetType().Name})";
}
