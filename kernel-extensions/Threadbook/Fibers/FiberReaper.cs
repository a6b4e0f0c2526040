namespace Threadbook.Fibers;

/// <summary>
/// Ends the fibers nobody can reach any more. A suspended fiber can be resumed only from its own group, and a group
/// can switch only while its root thread lives; so when that thread ends, its suspended fibers are abandoned. Once a
/// second, while some group has fiber threads, the reaper looks for groups whose root thread has ended and raises
/// <see cref="FiberExit"/> in each of their fibers in turn (their <c>finally</c> blocks run), then waits for its thread.
/// </summary>
internal static class FiberReaper
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(1);

    /// <summary>How long the reaper waits for one fiber's thread to end after raising <see cref="FiberExit"/> in it.</summary>
    public static readonly TimeSpan JoinTimeout = TimeSpan.FromSeconds(5);

    private static readonly object Gate = new();
    private static readonly HashSet<FiberGroup> Groups = [];
    private static Timer? s_timer;

    /// <summary>Watches <paramref name="group"/> from now on (called when one of its fibers gets a thread).</summary>
    public static void Watch(FiberGroup group)
    {
        lock (Gate)
        {
            if (Groups.Add(group) && s_timer is null)
            {
                // The timer must not hold on to the caller's execution context (a notebook cell's, say).
                using (ExecutionContext.SuppressFlow())
                {
                    s_timer = new Timer(_ => Sweep(), null, Period, Period);
                }
            }
        }
    }

    /// <summary>Ends every fiber of <paramref name="group"/> that still has a thread; its root thread must have ended.</summary>
    public static void Reap(FiberGroup group)
    {
        group.MarkOrphaned();
        foreach (var fiber in group.FibersWithThreads())
        {
            fiber.EndAbandoned(JoinTimeout, outer: null);
        }
    }

    private static void Sweep()
    {
        var orphans = new List<FiberGroup>();
        lock (Gate)
        {
            foreach (var group in Groups)
            {
                if (!group.Root.IsAlive)
                {
                    orphans.Add(group);
                }
            }

            // Groups without threads are watched again when a fiber of theirs next gets a thread.
            Groups.RemoveWhere(group => !group.Root.IsAlive || group.ThreadCount == 0);
            if (Groups.Count == 0 && s_timer is not null)
            {
                s_timer.Dispose();
                s_timer = null;
            }
        }

        foreach (var group in orphans)
        {
            Reap(group);
        }
    }
}
