namespace Threadbook.Threading;

/// <summary>
/// One thread blocked acquiring one <see cref="IWaitTarget"/>: an edge "thread waits for object" of the
/// wait-for graph. Its <see cref="State"/> tells the detector whether the thread is between attempts
/// (<see cref="WaitState.Blocked"/>) — the only state in which it can be part of a deadlock.
/// </summary>
internal sealed class BlockedWait
{
    private int _state = (int)WaitState.Attempting;
    private DeadlockReport? _verdict;
    private DeadlockReport? _report;

    public BlockedWait(Thread thread, IWaitTarget target, bool isTimed)
    {
        Thread = thread;
        ThreadId = thread.ManagedThreadId;
        Target = target;
        IsTimed = isTimed;
    }

    public Thread Thread { get; }

    public int ThreadId { get; }

    public IWaitTarget Target { get; }

    /// <summary>True when the wait has a timeout: it ends by itself, so it never makes a cycle definite.</summary>
    public bool IsTimed { get; }

    /// <summary>The report (definite or suspected) of the cycle this wait was found in, once; null before.</summary>
    public DeadlockReport? Report => Volatile.Read(ref _report);

    /// <summary>Written only by the waiting thread, read by any detector.</summary>
    public WaitState State => (WaitState)Volatile.Read(ref _state);

    /// <summary>Set once, by the detector that confirmed a deadlock through this wait: the wait must end with it.</summary>
    public DeadlockReport? Verdict => Volatile.Read(ref _verdict);

    // Used only by the waiting thread while it checks for deadlocks: the cycle it found last, since when,
    // and when to look again (Stopwatch timestamps).
    public BlockedWait[]? CandidateCycle { get; set; }

    public long CandidateSince { get; set; }

    public long NextCheckTimestamp { get; set; }

    /// <summary>
    /// Called before each attempt to take the resource. The attempt itself (a CAS, or a change made under
    /// the target's gate) comes after this write, so a detector that reads the new owner and then this state
    /// can never see <see cref="WaitState.Blocked"/> for a thread that has in fact acquired the resource.
    /// </summary>
    public void BeginAttempt() => Interlocked.Exchange(ref _state, (int)WaitState.Attempting);

    /// <summary>Called after an attempt failed, before sleeping.</summary>
    public void MarkBlocked() => Volatile.Write(ref _state, (int)WaitState.Blocked);

    /// <summary>Called once when the wait ends, however it ends, before it leaves the graph.</summary>
    public void Finish() => Volatile.Write(ref _state, (int)WaitState.Finished);

    /// <summary>Records the cycle this wait was reported in; the first report wins.</summary>
    public bool TrySetReport(DeadlockReport report) =>
        Interlocked.CompareExchange(ref _report, report, null) is null;

    /// <summary>Hands this wait the definite deadlock it is part of: the wait must end with it. The first verdict wins.</summary>
    public bool TrySetVerdict(DeadlockReport report) =>
        Interlocked.CompareExchange(ref _verdict, report, null) is null;
}
