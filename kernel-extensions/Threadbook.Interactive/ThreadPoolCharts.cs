using Threadbook.Measurement;

namespace Threadbook.Interactive;

/// <summary>The final picture of a <c>#!threadpool</c> cell.</summary>
internal static class ThreadPoolCharts
{
    /// <summary>The chart of the samples, or null when there is nothing to add to the live view.</summary>
    public static object? Of(ThreadPoolSampler sampler) => null;
}
