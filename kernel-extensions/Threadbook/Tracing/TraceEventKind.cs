namespace Threadbook.Tracing;

/// <summary>What a <see cref="TraceEvent"/> records.</summary>
public enum TraceEventKind : byte
{
    /// <summary>A thread began running (its lane starts here).</summary>
    ThreadStarted,

    /// <summary>A thread finished (its lane ends here).</summary>
    ThreadStopped,

    /// <summary>A thread began waiting on <see cref="TraceEvent.ObjectId"/>; <see cref="TraceEvent.WaitKind"/> says how.</summary>
    WaitBegan,

    /// <summary>A wait ended; <see cref="TraceEvent.Outcome"/> says how, <see cref="TraceEvent.RelatedThreadId"/> who woke it.</summary>
    WaitEnded,

    /// <summary>A lock or semaphore was taken (after a wait or not).</summary>
    Acquired,

    /// <summary>A lock or semaphore was released; <see cref="TraceEvent.Value"/> is the recursion count left.</summary>
    Released,

    /// <summary>An event was set.</summary>
    EventSet,

    /// <summary>An event was cleared.</summary>
    EventCleared,

    /// <summary>A condition was notified; <see cref="TraceEvent.Value"/> is how many waiters it woke.</summary>
    Notified,

    /// <summary>A point in time the user or Threadbook labelled.</summary>
    Mark,

    /// <summary>The start of a labelled span of work on one thread.</summary>
    SpanBegan,

    /// <summary>The end of the innermost open span on the thread.</summary>
    SpanEnded,

    /// <summary>A deadlock was detected; <see cref="TraceEvent.Label"/> describes the cycle.</summary>
    Deadlock,

    /// <summary>The last party arrived at a barrier and let its round go; <see cref="TraceEvent.Value"/> is the parties.</summary>
    BarrierPassed,

    /// <summary>A barrier broke (a timeout, an abort, a failed action, a reset with waiters); <see cref="TraceEvent.Label"/> says why.</summary>
    BarrierBroken,
}
