using System.Diagnostics;
using Threadbook.Rendering;

namespace Threadbook.Tests.Rendering;

/// <summary>A live view is redrawn at most once per interval, and a change right after a redraw waits for the next one.</summary>
public sealed class RefreshThrottleTests
{
    private static readonly long Start = 1_000 * Stopwatch.Frequency;

    private static long At(double milliseconds) => Start + (long)(milliseconds * Stopwatch.Frequency / 1000);

    [Fact]
    public void the_first_refresh_is_allowed_at_once()
    {
        var throttle = new RefreshThrottle(TimeSpan.FromMilliseconds(200));

        throttle.UntilNext(At(0)).Should().Be(TimeSpan.Zero);
        throttle.TryRefresh(At(0)).Should().BeTrue();
    }

    [Fact]
    public void a_second_refresh_within_the_interval_waits_for_the_rest_of_it()
    {
        var throttle = new RefreshThrottle(TimeSpan.FromMilliseconds(200));
        throttle.Refreshed(At(0));

        throttle.TryRefresh(At(50)).Should().BeFalse();
        throttle.UntilNext(At(50)).TotalMilliseconds.Should().BeApproximately(150, 0.01);
        throttle.TryRefresh(At(200)).Should().BeTrue();
        throttle.TryRefresh(At(399)).Should().BeFalse("the refresh at 200 ms started a new interval");
        throttle.TryRefresh(At(400)).Should().BeTrue();
    }

    [Fact]
    public void a_refresh_recorded_at_the_start_delays_the_first_one_by_an_interval()
    {
        var throttle = new RefreshThrottle(TimeSpan.FromMilliseconds(250));
        throttle.Refreshed(At(0));

        throttle.TryRefresh(At(100)).Should().BeFalse();
        throttle.TryRefresh(At(300)).Should().BeTrue();
    }
}
