namespace Threadbook.Introspection;

/// <summary>A <see cref="ThreadPoolCounters"/> snapshot as a view: pool threads, queued and completed work items, limits.</summary>
public sealed class ThreadPoolSummary : FactSheet
{
    private ThreadPoolSummary(ThreadPoolCounters counters) => Counters = counters;

    /// <summary>The counters shown.</summary>
    public ThreadPoolCounters Counters { get; }

    /// <summary>Shows <paramref name="counters"/>.</summary>
    public static ThreadPoolSummary Of(ThreadPoolCounters counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        return new ThreadPoolSummary(counters);
    }

    /// <summary>Reads the thread pool's counters now and shows them.</summary>
    public static ThreadPoolSummary Capture() => new(ThreadPoolCounters.Capture());

    /// <inheritdoc />
    protected override string Title => "Thread pool";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("pool threads", Number(Counters.ThreadCount)),
        ("work items queued, not started", Number(Counters.PendingWorkItemCount)),
        ("work items completed (since the process started)", Number(Counters.CompletedWorkItemCount)),
        ("worker threads min / max", $"{Number(Counters.MinWorkerThreads, "?")} / {Number(Counters.MaxWorkerThreads, "?")}"),
        ("how the pool grows", "at once up to min; beyond it slowly, a thread at a time (hill climbing)"),
    ];
}
