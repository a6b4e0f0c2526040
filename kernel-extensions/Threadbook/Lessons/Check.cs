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

    /// <summary>Prints a skipped check (⏭) with the reason, for checks that cannot run on this machine.</summary>
    public static void Skipped(string claim, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        Console.Out.WriteLine($"⏭ {claim}: skipped ({reason})");
    }
}
