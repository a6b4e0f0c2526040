using System.Collections.Concurrent;

namespace Threadbook.Threading;

/// <summary>
/// Which thread is blocked acquiring which traced lock or semaphore, process-wide. Each thread blocks on at
/// most one thing at a time, and each node counts only a single definite owner, so from any wait there is at
/// most one way to go: waiter → object → its owner → the object that owner waits for → … A deadlock is that
/// walk coming back to where it started.
/// </summary>
internal static class WaitForGraph
{
    /// <summary>Longer cycles are not looked for (and no notebook builds one).</summary>
    public const int MaxCycleLength = 64;

    private static readonly ConcurrentDictionary<int, BlockedWait> WaitsByThread = new();

    /// <summary>Records that the calling thread is about to block on <paramref name="target"/> (with a timeout when <paramref name="isTimed"/>).</summary>
    public static BlockedWait Register(IWaitTarget target, bool isTimed)
    {
        var wait = new BlockedWait(Thread.CurrentThread, target, isTimed);
        WaitsByThread[wait.ThreadId] = wait;
        return wait;
    }

    /// <summary>Removes <paramref name="wait"/> (and nothing the same thread registered later).</summary>
    public static void Unregister(BlockedWait wait) =>
        WaitsByThread.TryRemove(new KeyValuePair<int, BlockedWait>(wait.ThreadId, wait));

    /// <summary>
    /// The cycle of blocked waits that leads from <paramref name="start"/> back to its own thread, as it is
    /// right now, or null. Element <c>i</c> waits for an object owned by the thread of element <c>i + 1</c>
    /// (the last one's object is owned by <paramref name="start"/>'s thread).
    /// <para>
    /// The walk reads shared state without locks, so before answering it validates what it found: every
    /// member <see cref="WaitState.Blocked"/>, then every object still owned by the next member, then every
    /// member still blocked. A member blocked at both ends made no successful attempt in between (a success
    /// moves it to <see cref="WaitState.Finished"/>, never back), so at the moment of the last owner read
    /// every member was blocked and every object held by a blocked member: nobody in the cycle could move.
    /// </para>
    /// </summary>
    public static BlockedWait[]? FindCycle(BlockedWait start)
    {
        var cycle = new List<BlockedWait>(4);
        var current = start;
        while (true)
        {
            if (current.State != WaitState.Blocked)
            {
                return null;
            }

            var ownerId = current.Target.DefiniteOwnerId;
            if (ownerId == 0)
            {
                return null;
            }

            cycle.Add(current);
            if (ownerId == start.ThreadId)
            {
                break;
            }

            if (cycle.Count >= MaxCycleLength || !WaitsByThread.TryGetValue(ownerId, out var next))
            {
                return null;
            }

            // A cycle that does not pass through start: its own members report it.
            if (cycle.Contains(next))
            {
                return null;
            }

            current = next;
        }

        foreach (var member in cycle)
        {
            if (member.State != WaitState.Blocked)
            {
                return null;
            }
        }

        for (var i = 0; i < cycle.Count; i++)
        {
            if (cycle[i].Target.DefiniteOwnerId != cycle[(i + 1) % cycle.Count].ThreadId)
            {
                return null;
            }
        }

        foreach (var member in cycle)
        {
            if (member.State != WaitState.Blocked)
            {
                return null;
            }
        }

        return [.. cycle];
    }
}
