namespace Threadbook.Introspection;

/// <summary>The managed thread pool's public counters at one moment.</summary>
/// <param name="ThreadCount">Pool threads that exist now.</param>
/// <param name="PendingWorkItemCount">Work items queued but not started.</param>
/// <param name="CompletedWorkItemCount">Work items completed since the process started.</param>
/// <param name="MinWorkerThreads">Below this count the pool creates threads on demand without delay.</param>
/// <param name="MaxWorkerThreads">The pool never grows past this.</param>
public sealed record ThreadPoolCounters(
    int ThreadCount,
    long PendingWorkItemCount,
    long CompletedWorkItemCount,
    int MinWorkerThreads,
    int MaxWorkerThreads)
{
    /// <summary>Reads the counters now.</summary>
    public static ThreadPoolCounters Capture()
    {
        ThreadPool.GetMinThreads(out var minWorkers, out _);
        ThreadPool.GetMaxThreads(out var maxWorkers, out _);
        return new ThreadPoolCounters(
            ThreadPool.ThreadCount,
            ThreadPool.PendingWorkItemCount,
            ThreadPool.CompletedWorkItemCount,
            minWorkers,
            maxWorkers);
    }
}
