using System.Globalization;
using System.Net;
using Threadbook.Rendering;

namespace Threadbook.Measurement;

/// <summary>What <see cref="TimeIt.Measure"/> found: the time per loop of each repeat and what it allocated.</summary>
public sealed class TimeitResult : IRenderable
{
    internal TimeitResult(int loops, int repeats, IReadOnlyList<double> nanosecondsPerLoop, double bytesPerLoop, long totalCalls)
    {
        TotalCalls = totalCalls;
        Loops = loops;
        Repeats = repeats;
        PerLoop = nanosecondsPerLoop;
        BytesAllocatedPerLoop = bytesPerLoop;
        Mean = nanosecondsPerLoop.Average();
        StandardDeviation = nanosecondsPerLoop.Count > 1
            ? Math.Sqrt(nanosecondsPerLoop.Sum(t => (t - Mean) * (t - Mean)) / (nanosecondsPerLoop.Count - 1))
            : 0;
        Best = nanosecondsPerLoop.Min();
        Worst = nanosecondsPerLoop.Max();
    }

    /// <summary>Calls per repeat.</summary>
    public int Loops { get; }

    /// <summary>How many times the loops were repeated.</summary>
    public int Repeats { get; }

    /// <summary>
    /// Every call made, timed or not: one warm-up call, the calls spent choosing the loop count, and
    /// <see cref="Loops"/> × <see cref="Repeats"/> timed calls. Side effects of the code happened this many times.
    /// </summary>
    public long TotalCalls { get; }

    /// <summary>The time per call in each repeat, in nanoseconds.</summary>
    public IReadOnlyList<double> PerLoop { get; }

    /// <summary>Mean time per call over the repeats, in nanoseconds.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the time per call over the repeats, in nanoseconds.</summary>
    public double StandardDeviation { get; }

    /// <summary>The fastest repeat's time per call, in nanoseconds.</summary>
    public double Best { get; }

    /// <summary>The slowest repeat's time per call, in nanoseconds.</summary>
    public double Worst { get; }

    /// <summary>Bytes allocated per call (by any thread of the process while timing).</summary>
    public double BytesAllocatedPerLoop { get; }

    /// <summary>The line IPython prints: "12.3 ns ± 0.4 ns per loop (mean ± std. dev. of 7 runs, 10,000,000 loops each)".</summary>
    public string Headline =>
        $"{Format(Mean)} ± {Format(StandardDeviation)} per loop (mean ± std. dev. of {Repeats} run{(Repeats == 1 ? "" : "s")}, " +
        $"{Loops.ToString("N0", CultureInfo.InvariantCulture)} loop{(Loops == 1 ? "" : "s")} each)";

    /// <summary>Allocations per loop in words.</summary>
    public string Allocations =>
        BytesAllocatedPerLoop < 0.5 ? "no allocation per loop" : $"{BytesAllocatedPerLoop.ToString("0.#", CultureInfo.InvariantCulture)} bytes allocated per loop";

    /// <summary>A duration given in nanoseconds, in the unit IPython would choose (ns, µs, ms, s).</summary>
    public static string Format(double nanoseconds)
    {
        var seconds = nanoseconds / 1e9;
        var (value, unit) = seconds switch
        {
            >= 1 => (seconds, "s"),
            >= 1e-3 => (seconds * 1e3, "ms"),
            >= 1e-6 => (seconds * 1e6, "µs"),
            _ => (seconds * 1e9, "ns"),
        };
        return value.ToString(value >= 100 ? "0" : value >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture) + " " + unit;
    }

    /// <inheritdoc />
    public string ToText() => $"{Headline}{Environment.NewLine}{Allocations}; best {Format(Best)}, worst {Format(Worst)}";

    /// <inheritdoc />
    public string ToHtml() =>
        $"<div class=\"threadbook-timeit\"><strong>{WebUtility.HtmlEncode(Headline)}</strong><br/>" +
        $"{WebUtility.HtmlEncode(Allocations)}; best {WebUtility.HtmlEncode(Format(Best))}, worst {WebUtility.HtmlEncode(Format(Worst))}</div>";

    /// <inheritdoc />
    public override string ToString() => ToText();
}
