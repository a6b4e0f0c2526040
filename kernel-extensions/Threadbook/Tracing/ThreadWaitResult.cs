namespace Threadbook.Tracing;

/// <summary>What <see cref="RunScope.WaitForThreads"/> found.</summary>
/// <param name="Finished">Threads that had ended (or ended while waited for).</param>
/// <param name="StillRunning">Foreground threads still running when the time ran out.</param>
/// <param name="Background">Background threads still running; they are not waited for.</param>
/// <param name="Faulted">Threads that died of an unhandled exception.</param>
public sealed record ThreadWaitResult(
    IReadOnlyList<Thread> Finished,
    IReadOnlyList<Thread> StillRunning,
    IReadOnlyList<Thread> Background,
    IReadOnlyList<Thread> Faulted)
{
    /// <summary>True when every foreground thread ended.</summary>
    public bool AllForegroundThreadsEnded => StillRunning.Count == 0;

    /// <summary>One line per thread still running, for a trace's notes.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var thread in StillRunning)
        {
            yield return $"{Name(thread)} is still running (a foreground thread: the wait for it timed out).";
        }

        foreach (var thread in Background)
        {
            yield return $"{Name(thread)} is still running (a background thread: nobody waits for it).";
        }

        foreach (var thread in Faulted)
        {
            yield return $"{Name(thread)} died of an unhandled exception.";
        }
    }

    private static string Name(Thread thread) => $"{thread.Name ?? "thread"} (#{thread.ManagedThreadId})";
}
