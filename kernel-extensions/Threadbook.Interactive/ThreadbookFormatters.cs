using Microsoft.DotNet.Interactive.Formatting;
using Threadbook.Introspection;
using Threadbook.Rendering;

namespace Threadbook.Interactive;

/// <summary>Registers Threadbook's compact formatters with .NET Interactive's process-wide formatter.</summary>
public static class ThreadbookFormatters
{
    private const string Html = "text/html";
    private const string PlainText = "text/plain";

    /// <summary>Registers every formatter; calling it again is harmless.</summary>
    public static void Register()
    {
        RegisterRenderable<IRenderable>(r => r);
        RegisterRenderable<Thread>(ThreadSummary.Of);
    }

    private static void RegisterRenderable<T>(Func<T, IRenderable> view)
    {
        Formatter.Register<T>((value, writer) => writer.Write(SafeRender(() => view(value).ToHtml(), value)), Html);
        Formatter.Register<T>((value, writer) => writer.Write(SafeRender(() => view(value).ToText(), value)), PlainText);
        Formatter.SetPreferredMimeTypesFor(typeof(T), Html, PlainText);
    }

    /// <summary>A formatter must never throw: a broken view shows what went wrong instead.</summary>
    private static string SafeRender<T>(Func<string> render, T value)
    {
        try
        {
            return render();
        }
        catch (Exception e)
        {
            return System.Net.WebUtility.HtmlEncode($"({typeof(T).Name} could not be shown: {e.GetType().Name}: {e.Message})");
        }
    }
}
