using System.Diagnostics;

namespace Threadbook.Threading;

/// <summary>
/// When a timed acquire or wait gives up, fixed when the call starts so that wake-ups which do not end the
/// wait (a lost race for a lock, a deadlock check) never extend it.
/// </summary>
internal readonly struct Deadline
{
    private const long Never = long.MaxValue;
    private readonly long _endTimestamp;

    private Deadline(long endTimestamp, TimeSpan requested)
    {
        _endTimestamp = endTimestamp;
        Requested = requested;
    }

    /// <summary>A wait that only ends when it is satisfied (or chosen to break a deadlock).</summary>
    public static Deadline Infinite => new(Never, Timeout.InfiniteTimeSpan);

    /// <summary>The timeout the caller asked for (<see cref="Timeout.InfiniteTimeSpan"/> when none).</summary>
    public TimeSpan Requested { get; }

    /// <summary>True when the caller gave no timeout.</summary>
    public bool IsInfinite => _endTimestamp == Never;

    /// <summary>True for a zero timeout: try once, never wait (Python's <c>acquire(blocking=False)</c>).</summary>
    public bool IsImmediate => Requested == TimeSpan.Zero;

    /// <summary>A deadline <paramref name="timeout"/> from now; <see cref="Timeout.InfiniteTimeSpan"/> means none.</summary>
    public static Deadline After(TimeSpan timeout, string parameterName)
    {
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            return Infinite;
        }

        if (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, timeout, "The timeout must be zero or positive (at most int.MaxValue ms), or Timeout.InfiniteTimeSpan.");
        }

        return new Deadline(Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency), timeout);
    }

    /// <summary>A deadline <paramref name="milliseconds"/> from now; <see cref="Timeout.Infinite"/> (-1) means none.</summary>
    public static Deadline AfterMilliseconds(int milliseconds, string parameterName)
    {
        if (milliseconds == Timeout.Infinite)
        {
            return Infinite;
        }

        if (milliseconds < 0)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, milliseconds, "The timeout must be zero or positive, or Timeout.Infinite (-1).");
        }

        return After(TimeSpan.FromMilliseconds(milliseconds), parameterName);
    }

    /// <summary>Whole milliseconds left, rounded up; 0 once passed; <see cref="Timeout.Infinite"/> when infinite.</summary>
    public int RemainingMilliseconds()
    {
        if (IsInfinite)
        {
            return Timeout.Infinite;
        }

        var ticks = _endTimestamp - Stopwatch.GetTimestamp();
        if (ticks <= 0)
        {
            return 0;
        }

        // Rounded up so a wait never wakes just short of its deadline and spins through 0 ms waits.
        var milliseconds = (ticks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency;
        return (int)Math.Min(milliseconds, int.MaxValue);
    }

    /// <summary>True once the deadline has passed (never for an infinite one).</summary>
    public bool HasPassed => !IsInfinite && Stopwatch.GetTimestamp() >= _endTimestamp;
}
