using Threadbook.Measurement;

namespace Threadbook.Tests.Measurement;

public class TimeItTests
{
    [Fact]
    public void the_body_runs_loops_times_repeats_plus_one_warm_up_call()
    {
        var calls = 0;

        var result = TimeIt.Measure(() => calls++, loops: 50, repeats: 4);

        calls.Should().Be(50 * 4 + 1);
        result.TotalCalls.Should().Be(calls);
        result.Loops.Should().Be(50);
        result.Repeats.Should().Be(4);
        result.PerLoop.Should().HaveCount(4).And.OnlyContain(ns => ns >= 0);
        result.Best.Should().BeLessThanOrEqualTo(result.Mean).And.BeLessThanOrEqualTo(result.Worst);
    }

    [Fact]
    public void without_a_loop_count_one_repeat_takes_at_least_the_target_time()
    {
        var calls = 0L;
        var result = TimeIt.Measure(() => { calls++; Thread.SpinWait(20); }, repeats: 1);

        result.TotalCalls.Should().Be(calls, "the calls spent choosing the loop count are counted too");
        (result.Loops * result.Mean).Should().BeGreaterThan(TimeIt.TargetRepeatTime.TotalNanoseconds * 0.5);
        result.Loops.Should().BeOneOf(1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000);
    }

    [Fact]
    public void allocations_are_counted_per_loop()
    {
        var result = TimeIt.Measure(() => GC.KeepAlive(new byte[1000]), loops: 100, repeats: 2);

        result.BytesAllocatedPerLoop.Should().BeGreaterThanOrEqualTo(1000);
        result.Allocations.Should().EndWith("bytes allocated per loop");
    }

    [Fact]
    public void the_headline_reads_like_ipython()
    {
        var result = TimeIt.Measure(() => { }, loops: 1000, repeats: 7);

        result.Headline.Should().MatchRegex(@"^[\d.]+ (ns|µs|ms|s) ± [\d.]+ (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 7 runs, 1,000 loops each\)$");
        result.ToHtml().Should().Contain("per loop").And.NotContain("<script");
    }

    [Theory]
    [InlineData(0.5, "0.50 ns")]
    [InlineData(1_500, "1.50 µs")]
    [InlineData(25_000_000, "25.0 ms")]
    [InlineData(3e9, "3.00 s")]
    public void durations_use_the_unit_ipython_would(double nanoseconds, string expected)
    {
        TimeitResult.Format(nanoseconds).Should().Be(expected);
    }

    [Fact]
    public void cancellation_stops_the_measurement()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var act = () => TimeIt.Measure(() => Thread.SpinWait(100), loops: 100_000_000, repeats: 10, cancellationToken: cancel.Token);

        act.Should().Throw<OperationCanceledException>();
    }

    [Fact]
    public void bad_counts_are_refused()
    {
        ((Action)(() => TimeIt.Measure(() => { }, loops: 0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 1*");
        ((Action)(() => TimeIt.Measure(() => { }, repeats: 0))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 1*");
    }
}
