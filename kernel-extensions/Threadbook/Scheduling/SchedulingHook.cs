using System.Runtime.CompilerServices;

namespace Threadbook.Scheduling;

/// <summary>
/// How Threadbook's traced primitives and the explorer's shared variables learn that the interleaving explorer controls
/// the calling thread. With no exploration running, an operation pays one static read (<see cref="IsActive"/>); while
/// one runs, it also reads a thread-static (<see cref="Current"/>), which is null on every thread the explorer does not
/// run. On a thread it runs, every operation first calls <see cref="IScheduledThread.Yield"/>: a scheduling point.
/// </summary>
internal static class SchedulingHook
{
    private static int s_explorations;

    [ThreadStatic]
    private static IScheduledThread? t_current;

    /// <summary>True while some exploration runs in the process. The only thing the primitives' fast paths read.</summary>
    public static bool IsActive
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref s_explorations) != 0;
    }

    /// <summary>The explorer's thread running on the calling OS thread, or null. Read it after <see cref="IsActive"/>.</summary>
    public static IScheduledThread? Current => t_current;

    /// <summary>Called when an exploration starts; pair it with <see cref="ExplorationEnded"/>.</summary>
    public static void ExplorationStarted() => Interlocked.Increment(ref s_explorations);

    /// <summary>Called when an exploration ends.</summary>
    public static void ExplorationEnded() => Interlocked.Decrement(ref s_explorations);

    /// <summary>Makes <paramref name="thread"/> the calling OS thread's controlled thread and returns the previous one.</summary>
    public static IScheduledThread? Attach(IScheduledThread? thread)
    {
        var previous = t_current;
        t_current = thread;
        return previous;
    }

    /// <summary>
    /// A scheduling point before <paramref name="operation"/> when the calling thread is controlled; nothing otherwise.
    /// </summary>
    /// <returns>False only when a timed wait was chosen to time out.</returns>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static bool Point(in ScheduledOperation operation) => t_current?.Yield(operation) ?? true;
}
