using Threadbook.Charts;
using Threadbook.Measurement;

namespace Threadbook.Tests.Charts;

/// <summary>The measurement charts, built by a plain program from the engine's measurements.</summary>
public class MeasurementChartsTests
{
    [Fact]
    public void the_thread_pool_chart_draws_threads_queue_and_completed_items_per_sample()
    {
        var sampler = new ThreadPoolSampler(TimeSpan.FromMilliseconds(10));
        Thread.Sleep(50);
        sampler.Stop();

        var summary = ChartSummary.Of(MeasurementCharts.Of(sampler, "pool in a console program"));

        summary.Title.Should().Be("pool in a console program");
        summary.XAxisTitle.Should().Be("seconds");
        var points = sampler.Samples.Count;
        summary.Traces.Should().Equal(
            new ChartTraceSummary("pool threads", "scatter", points),
            new ChartTraceSummary("queued work items", "scatter", points),
            new ChartTraceSummary("completed work items", "scatter", points));
    }

    [Fact]
    public void the_race_chart_counts_each_outcome_most_frequent_first()
    {
        var race = new RaceOutcomes("counter");
        foreach (var outcome in new[] { "7", "8", "8" })
        {
            race.Add(outcome);
        }

        var chart = MeasurementCharts.Of(race);

        var summary = ChartSummary.Of(chart);
        summary.Title.Should().Be("Outcomes of 3 runs");
        summary.Traces.Should().ContainSingle().Which.PointCount.Should().Be(2);
        var bars = PlotlyFigure.Of(chart).Traces.Should().ContainSingle().Subject!;
        bars["x"]!.AsArray().Select(x => (string)x!).Should().Equal("8", "7");
        bars["y"]!.AsArray().Select(y => (double)y!).Should().Equal(2, 1);
    }
}
