using System.Net;

namespace Threadbook.Rendering;

/// <summary>
/// Renders a view that is built from live state which may change or fail while it is read (a fiber finishing, a hub
/// stopping): a failure shows a one-line fallback instead of escaping, because a view must never throw.
/// </summary>
internal static class SafeRendering
{
    public static string Html(Func<IRenderable> view, Func<Exception, string> fallback) => Html(() => view().ToHtml(), fallback);

    public static string Text(Func<IRenderable> view, Func<Exception, string> fallback) => Text(() => view().ToText(), fallback);

    public static string Html(Func<string> render, Func<Exception, string> fallback)
    {
        try
        {
            return render();
        }
        catch (Exception exception)
        {
            return $"<pre>{WebUtility.HtmlEncode(fallback(exception))}</pre>";
        }
    }

    public static string Text(Func<string> render, Func<Exception, string> fallback)
    {
        try
        {
            return render();
        }
        catch (Exception exception)
        {
            return fallback(exception);
        }
    }
}
