using Threadbook.Measurement;

namespace Threadbook.Tests.Measurement;

public class ThreadPoolSamplerTests
{
    [Fact]
    public async Task blocking_work_shows_up_as_a_queue_and_as_completed_items()
    {
        var sampler = new ThreadPoolSampler(TimeSpan.FromMilliseconds(10));
        // More items than the pool has threads, whatever earlier tests grew it to.
        var blocked = Enumerable.Range(0, ThreadPool.ThreadCount + 16).Select(_ => Task.Run(() => Thread.Sleep(200))).ToArray();
        await Task.WhenAll(blocked);
        sampler.Stop();

        var samples = sampler.Samples;
        samples.Count.Should().BeGreaterThan(2);
        samples.Should().BeInAscendingOrder(s => s.At);
        sampler.PeakQueued.Should().BeGreaterThan(0, "more blocking items were queued than the pool had threads");
        samples[^1].Completed.Should().BeGreaterThanOrEqualTo(blocked.Length);
        sampler.ToHtml().Should().Contain("<polyline").And.Contain("peak");
    }

    [Fact]
    public void stopping_twice_is_harmless_and_no_sample_comes_after()
    {
        var sampler = new ThreadPoolSampler(TimeSpan.FromMilliseconds(10));
        sampler.Stop();
        var count = sampler.Samples.Count;

        Thread.Sleep(50);
        sampler.Stop();

        sampler.Samples.Count.Should().Be(count);
    }

    [Fact]
    public void an_interval_under_ten_milliseconds_is_refused()
    {
        var act = () => new ThreadPoolSampler(TimeSpan.FromMilliseconds(1));

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*10 ms*");
    }
}
