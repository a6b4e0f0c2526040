using Threadbook.Measurement;
using XPlot.Plotly;

namespace Threadbook.Charts;

/// <summary>
/// Charts of Threadbook's measurements: the thread pool over time (<see cref="ThreadPoolSampler"/>) and the outcomes
/// of a race (<see cref="RaceOutcomes"/>), ready for <see cref="ChartHtml.Render(PlotlyChart)"/> (a notebook shows them
/// as they are).
/// </summary>
public static class MeasurementCharts
{
    /// <summary>Threads and queued items over time, with completed items on the right axis.</summary>
    /// <param name="sampler">The sampler whose samples (so far) are drawn.</param>
    /// <param name="title">The chart's title.</param>
    public static PlotlyChart Of(ThreadPoolSampler sampler, string title = "Thread pool over time")
    {
        ArgumentNullException.ThrowIfNull(sampler);
        var samples = sampler.Samples;
        var seconds = samples.Select(s => s.At.TotalSeconds).ToArray();
        return ChartBuilder.Lines(
            title,
            seconds,
            [
                new LineSeries("pool threads", samples.Select(s => (double)s.Threads).ToArray()),
                new LineSeries("queued work items", samples.Select(s => (double)s.Queued).ToArray()),
                new LineSeries("completed work items", samples.Select(s => (double)s.Completed).ToArray()) { OnRightAxis = true },
            ],
            "seconds",
            "threads / queued items",
            rightAxisTitle: "completed items");
    }

    /// <summary>How often each outcome of a race came out (the <see cref="RaceOutcomes.ShownOutcomes"/> most frequent).</summary>
    /// <param name="outcomes">The tally to draw.</param>
    public static PlotlyChart Of(RaceOutcomes outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        return ChartBuilder.Counts(
            $"Outcomes of {outcomes.Runs.Count} runs",
            outcomes.Distinct.Take(RaceOutcomes.ShownOutcomes).Select(d => new KeyValuePair<string, int>(d.Outcome, d.Count)));
    }
}
