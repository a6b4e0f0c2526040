using System.Net;
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
        ChartFormatters.Register();
        ConcurrencyFormatters.Register();
    }

    /// <summary>Shows every <typeparamref name="T"/> (and subclass) through <paramref name="view"/>, in HTML and plain text.</summary>
    internal static void RegisterRenderable<T>(Func<T, IRenderable> view) => RegisterRenderable(typeof(T), value => view((T)value));

    /// <summary>
    /// Shows every instance of <paramref name="type"/> through <paramref name="view"/>. The type may be an open
    /// generic such as <c>Task&lt;&gt;</c>: the formatter then serves every closed type and every subclass of one,
    /// and where several registrations fit, .NET Interactive picks the most specific.
    /// </summary>
    internal static void RegisterRenderable(Type type, Func<object, IRenderable> view)
    {
        Formatter.Register(type, (value, writer) => writer.Write(SafeRender(() => view(value).ToHtml(), type, WebUtility.HtmlEncode)), Html);
        Formatter.Register(type, (value, writer) => writer.Write(SafeRender(() => view(value).ToText(), type, text => text)), PlainText);
        Formatter.SetPreferredMimeTypesFor(type, Html, PlainText);
    }

    /// <summary>A formatter must never throw: a broken view shows what went wrong instead.</summary>
    private static string SafeRender(Func<string> render, Type type, Func<string, string> encode)
    {
        try
        {
            return render();
        }
        catch (Exception e)
        {
            return encode($"({type.Name} could not be shown: {e.GetType().Name}: {e.Message})");
        }
    }
}
