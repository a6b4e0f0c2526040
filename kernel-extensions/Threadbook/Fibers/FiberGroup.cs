namespace Threadbook.Fibers;

/// <summary>
/// The fibers that share one thread's flow of control: a thread's main fiber and every fiber created under it. At
/// most one fiber of a group runs at a time; fibers switch only to fibers of their own group (greenlet: a greenlet
/// belongs to the thread that created it).
/// </summary>
internal sealed class FiberGroup
{
    private readonly HashSet<Fiber> _withThreads = [];
    private volatile bool _orphaned;

    public FiberGroup(Thread root) => Root = root;

    /// <summary>The thread whose main fiber this group grew from.</summary>
    public Thread Root { get; }

    /// <summary>True once <see cref="Root"/> has ended: nobody can switch to the group's fibers any more.</summary>
    public bool IsOrphaned => _orphaned;

    /// <summary>How many of the group's fibers have a thread that has not exited yet.</summary>
    public int ThreadCount
    {
        get
        {
            lock (_withThreads)
            {
                return _withThreads.Count;
            }
        }
    }

    public void AddThread(Fiber fiber)
    {
        lock (_withThreads)
        {
            _withThreads.Add(fiber);
        }
    }

    public void RemoveThread(Fiber fiber)
    {
        lock (_withThreads)
        {
            _withThreads.Remove(fiber);
        }
    }

    public Fiber[] FibersWithThreads()
    {
        lock (_withThreads)
        {
            return [.. _withThreads];
        }
    }

    public void MarkOrphaned() => _orphaned = true;
}
