using System.Diagnostics;
using System.Globalization;

namespace Threadbook.Rendering;

/// <summary>Stopwatch ticks as times a person reads: one wording for the timeline, the JSON and the summary.</summary>
internal static class TimeText
{
    /// <summary><paramref name="ticks"/> Stopwatch ticks in milliseconds.</summary>
    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary><paramref name="ticks"/> Stopwatch ticks in microseconds (the Chrome trace format's unit).</summary>
    public static double Microseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;

    /// <summary><paramref name="ticks"/> Stopwatch ticks as a <see cref="TimeSpan"/>.</summary>
    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds(ticks / (double)Stopwatch.Frequency);

    /// <summary>A length of time with as many digits as are worth reading: "350 µs", "3.25 ms", "123.4 ms", "2.35 s".</summary>
    public static string Duration(long ticks)
    {
        var ms = Milliseconds(ticks);
        return ms switch
        {
            < 1 => string.Create(CultureInfo.InvariantCulture, $"{ms * 1000:0.#} µs"),
            < 10 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.00} ms"),
            < 1000 => string.Create(CultureInfo.InvariantCulture, $"{ms:0.0} ms"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.00} s"),
        };
    }

    /// <summary>A table cell in milliseconds with two decimals, so a column lines up.</summary>
    public static string TableMilliseconds(TimeSpan span) =>
        span.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>A count with thousands separators ("10,000").</summary>
    public static string Count(long count) => count.ToString("N0", CultureInfo.InvariantCulture);
}
