using System.Globalization;
using Threadbook.Rendering;

namespace Threadbook.Introspection;

/// <summary>
/// Reads one property of an object in whatever state it is in (disposed, never started, exited, consumed,
/// or a subclass that misbehaves) without throwing: a view shows what it could not read instead of failing.
/// The one place the views catch exceptions, so each view reads as a list of facts.
/// </summary>
internal static class Probe
{
    private const int MaxValueTextLength = 100;

    /// <summary>The value, or null when reading it threw.</summary>
    public static T? Value<T>(Func<T> read) where T : struct
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>The reference, or null when reading it threw.</summary>
    public static T? Reference<T>(Func<T?> read) where T : class
    {
        try
        {
            return read();
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>Runs <paramref name="action"/> and ignores whatever it throws (for a refresh that may fail).</summary>
    public static void Attempt(Action action)
    {
        try
        {
            action();
        }
        catch (Exception)
        {
            // The view then shows the values it can still read.
        }
    }

    /// <summary>
    /// True when <paramref name="touch"/> throws <see cref="ObjectDisposedException"/>, false when it returns,
    /// null when it throws anything else. Only pass a touch that cannot change the object's state.
    /// </summary>
    public static bool? Disposed(Action touch)
    {
        try
        {
            touch();
            return false;
        }
        catch (ObjectDisposedException)
        {
            return true;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// A user value as a short line: strings quoted, <c>null</c> spelled out, and a note instead of the text when
    /// its <c>ToString()</c> throws (it is user code).
    /// </summary>
    public static string Text(object? value)
    {
        var text = value switch
        {
            null => "null",
            string s => $"\"{s}\"",
            IFormattable f => Reference(() => f.ToString(null, CultureInfo.InvariantCulture)),
            _ => Reference(value.ToString),
        };
        return text is null
            ? $"({TypeName.Of(value!.GetType())}: ToString() threw)"
            : SafeText.Truncate(SafeText.Clean(text), MaxValueTextLength);
    }

    /// <summary>An exception as <c>Type: message</c>, on one line.</summary>
    public static string Text(Exception exception) =>
        $"{TypeName.Of(exception.GetType())}: {Reference(() => exception.Message) ?? "(no message)"}";
}
