namespace Threadbook.Lessons;

/// <summary>
/// The check cells of the workbook: each check prints one line starting with ✅ or ❌, which the workbook
/// runner and the tests count. Checks state invariants ("the counter equals 10"), never timings.
/// </summary>
public static class Check
{
    /// <summary>Prints ✅ or ❌ followed by <paramref name="claim"/>; returns <paramref name="condition"/>.</summary>
    public static bool That(bool condition, string claim)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        Console.Out.WriteLine($"{(condition ? "✅" : "❌")} {claim}");
        return condition;
    }

    /// <summary>Checks that <paramref name="actual"/> equals <paramref name="expected"/>, showing both when it does not.</summary>
    public static bool Equal<T>(T expected, T actual, string claim)
    {
        var equal = EqualityComparer<T>.Default.Equals(expected, actual);
        return That(equal, equal ? claim : $"{claim} (expected {expected}, got {actual})");
    }

    /// <summary>
    /// For a check that needs free cores (a parallel speed-up): ✅ when it holds; when it does not and the machine is
    /// busy with other programs (load average at least the core count), ⏭ with the load, since the measurement then
    /// says nothing; otherwise ❌. Returns <paramref name="condition"/>.
    /// </summary>
    public static bool ThatUnlessBusy(bool condition, string claim)
    {
        if (condition || LoadAverage() is not { } load || load < Environment.ProcessorCount)
        {
            return That(condition, claim);
        }

        Skipped(claim, $"the machine is busy (load average {load:0.0} on {Environment.ProcessorCount} cores), so the cores were not free to measure with");
        return false;
    }

    /// <summary>
    /// Like <see cref="ThatUnlessBusy(bool, string)"/>, and also ⏭ when the measurement itself saw the cores taken:
    /// <paramref name="waitingForCoreShare"/> is the share of the measured threads' runnable time spent waiting for a
    /// core (e.g. <c>CpuSampling.WaitingForCoreShare</c>); at 10 % or more other work (another program, or the sampler
    /// itself on a two-core machine) had the cores while they ran. The load average alone lags by a minute and misses a
    /// short burst of other work.
    /// </summary>
    public static bool ThatUnlessBusy(bool condition, string claim, double? waitingForCoreShare)
    {
        if (condition || waitingForCoreShare is not { } waiting || waiting < BusyWaitingForCoreShare)
        {
            return ThatUnlessBusy(condition, claim);
        }

        Skipped(claim, string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"the measured threads spent {waiting * 100:0}% of their runnable time waiting for a core: other work, the sampler included, had the cores"));
        return false;
    }

    /// <summary>The share of runnable time spent waiting for a core from which a measurement counts as disturbed.</summary>
    public const double BusyWaitingForCoreShare = 0.10;

    /// <summary>The one-minute load average (Linux), or null where it is not known.</summary>
    public static double? LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg")
                ? double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture)
                : null;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Prints a skipped check (⏭) with the reason, for checks that cannot run on this machine.</summary>
    public static void Skipped(string claim, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        Console.Out.WriteLine($"⏭ {claim}: skipped ({reason})");
    }
}
