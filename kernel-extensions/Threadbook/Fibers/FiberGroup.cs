namespace Threadbook.Fibers;

/// <summary>
/// The fibers that share one thread's flow of control: a thread's main fiber and every fiber created under it. At
/// most one fiber of a group runs at a time; fibers switch only to fibers of their own group (greenlet: a greenlet
/// belongs to the thread that created it).
/// </summary>
internal sealed class FiberGroup
{
    private readonly HashSet<FiberCore> _withThreads = [];
    private List<Fiber>? _dropped; // guarded by _withThreads
    private volatile bool _orphaned;
    private volatile bool _hasDropped;

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

    public void AddThread(FiberCore fiber)
    {
        lock (_withThreads)
        {
            _withThreads.Add(fiber);
        }
    }

    public void RemoveThread(FiberCore fiber)
    {
        lock (_withThreads)
        {
            _withThreads.Remove(fiber);
        }
    }

    public FiberCore[] FibersWithThreads()
    {
        lock (_withThreads)
        {
            return [.. _withThreads];
        }
    }

    /// <summary>True when some suspended fiber of the group was dropped and waits to be ended by the running fiber.</summary>
    public bool HasDropped => _hasDropped;

    public void MarkOrphaned() => _orphaned = true;

    /// <summary>Keeps <paramref name="fiber"/> (called from its finalizer) until the group's running fiber ends it.</summary>
    public void AddDropped(Fiber fiber)
    {
        lock (_withThreads)
        {
            (_dropped ??= []).Add(fiber);
            _hasDropped = true;
        }
    }

    /// <summary>Takes every dropped fiber waiting to be ended (a kill that drops more leaves them for the next call).</summary>
    public List<Fiber> TakeDropped()
    {
        lock (_withThreads)
        {
            var dropped = _dropped ?? [];
            _dropped = null;
            _hasDropped = false;
            return dropped;
        }
    }
}
