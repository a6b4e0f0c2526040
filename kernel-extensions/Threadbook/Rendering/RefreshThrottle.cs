using System.Diagnostics;

namespace Threadbook.Rendering;

/// <summary>
/// At most one refresh of a live view per <see cref="Interval"/>: a view that changes thousands of times a second is
/// redrawn a few times a second, and a change right after a redraw waits for the next one rather than being lost.
/// Times are <see cref="Stopwatch"/> ticks, passed in (so the rule is testable without waiting). Not thread-safe: one
/// refreshing thread uses it.
/// </summary>
internal sealed class RefreshThrottle(TimeSpan interval)
{
    private long _last = long.MinValue;

    /// <summary>The least time between two refreshes.</summary>
    public TimeSpan Interval { get; } = interval;

    /// <summary>How long until a refresh is allowed, at <paramref name="now"/>: zero when it is.</summary>
    public TimeSpan UntilNext(long now) =>
        _last == long.MinValue ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Max(0, (Interval - Stopwatch.GetElapsedTime(_last, now)).Ticks));

    /// <summary>Records a refresh at <paramref name="now"/> (also to start the first interval without one).</summary>
    public void Refreshed(long now) => _last = now;

    /// <summary>True, and recorded, when a refresh is allowed at <paramref name="now"/>.</summary>
    public bool TryRefresh(long now)
    {
        if (UntilNext(now) > TimeSpan.Zero)
        {
            return false;
        }

        Refreshed(now);
        return true;
    }
}
