using System.Diagnostics;

namespace Threadbook.Measurement;

/// <summary>
/// Times a piece of code the way IPython's <c>%timeit</c> does: the code runs <c>loops</c> times in a row, that
/// is repeated <c>repeats</c> times, and the result is the mean ± standard deviation of the per-loop time over
/// the repeats. Without a loop count, the count grows (1, 10, 100, …) until one repeat takes at least
/// <see cref="TargetRepeatTime"/>. Timing goals belong in benchmarks; this is for seeing orders of magnitude.
/// </summary>
public static class TimeIt
{
    /// <summary>The time one repeat should take when the loop count is chosen automatically.</summary>
    public static readonly TimeSpan TargetRepeatTime = TimeSpan.FromSeconds(0.2);

    /// <summary>The most loops chosen automatically.</summary>
    public const int MaxAutomaticLoops = 100_000_000;

    /// <summary>Times <paramref name="body"/>: <paramref name="loops"/> calls per repeat (null: automatic), <paramref name="repeats"/> repeats.</summary>
    public static TimeitResult Measure(Action body, int? loops = null, int repeats = 7, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (loops is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(loops), loops, "The number of loops must be at least 1.");
        }

        if (repeats < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "The number of repeats must be at least 1.");
        }

        body(); // the first call pays for JIT compilation and lazy initialisation; it is not timed
        long calls = 1;
        var count = loops ?? ChooseLoops(body, ref calls, cancellationToken);
        var perLoop = new double[repeats];
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        for (var r = 0; r < repeats; r++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Nanoseconds as a double: a TimeSpan cannot hold less than 100 ns.
            perLoop[r] = TimeLoops(body, count, cancellationToken).TotalNanoseconds / count;
            calls += count;
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new TimeitResult(count, repeats, perLoop, allocated / (double)((long)count * repeats), calls);
    }

    private static int ChooseLoops(Action body, ref long calls, CancellationToken cancellationToken)
    {
        for (var loops = 1; ; loops *= 10)
        {
            var elapsed = TimeLoops(body, loops, cancellationToken);
            calls += loops;
            if (elapsed >= TargetRepeatTime || loops >= MaxAutomaticLoops)
            {
                return loops;
            }
        }
    }

    private static TimeSpan TimeLoops(Action body, int loops, CancellationToken cancellationToken)
    {
        // Check for cancellation every 1,024 calls: often enough to stop promptly, rarely enough not to be timed.
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < loops; i++)
        {
            body();
            if ((i & 1023) == 1023 && cancellationToken.IsCancellationRequested)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }

        return stopwatch.Elapsed;
    }
}
