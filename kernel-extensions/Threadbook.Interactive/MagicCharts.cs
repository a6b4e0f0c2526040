using Threadbook.Charts;
using Threadbook.Measurement;
using XPlot.Plotly;

namespace Threadbook.Interactive;

/// <summary>The charts the measuring magics leave behind.</summary>
internal static class MagicCharts
{
    /// <summary>Threads and queued items over time, with completed items on the right axis.</summary>
    public static PlotlyChart Of(ThreadPoolSampler sampler)
    {
        var samples = sampler.Samples;
        var seconds = samples.Select(s => s.At.TotalSeconds).ToArray();
        return ChartBuilder.Lines(
            "Thread pool while the cell ran",
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

    /// <summary>How often each outcome of a <c>#!race</c> came out (the most frequent ones).</summary>
    public static PlotlyChart Of(RaceOutcomes outcomes) =>
        ChartBuilder.Counts(
            $"Outcomes of {outcomes.Runs.Count} runs",
            outcomes.Distinct.Take(RaceOutcomes.ShownOutcomes).Select(d => new KeyValuePair<string, int>(d.Outcome, d.Count)));
}
