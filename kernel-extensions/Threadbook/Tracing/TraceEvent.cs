namespace Threadbook.Tracing;

/// <summary>One thing that happened on one thread at one moment.</summary>
/// <param name="Timestamp">When, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</param>
/// <param name="Kind">What happened.</param>
/// <param name="ThreadId">The managed thread id of the thread it happened on, or 0 when only the OS id is known (runtime events from threads Threadbook never saw).</param>
/// <param name="OsThreadId">The OS thread id of that thread, or 0 when unknown.</param>
/// <param name="ObjectId">The traced object involved (see <see cref="TraceObject"/>), or 0.</param>
/// <param name="WaitKind">For waits: what kind of wait.</param>
/// <param name="Outcome">For wait ends: how the wait ended.</param>
/// <param name="RelatedThreadId">The other thread involved: the one that woke this one, or the owner it waited for; 0 when none or unknown.</param>
/// <param name="Value">A number whose meaning depends on <paramref name="Kind"/> (recursion count left, waiters woken).</param>
/// <param name="Label">Text for marks, spans, deadlocks and thread names.</param>
public readonly record struct TraceEvent(
    long Timestamp,
    TraceEventKind Kind,
    int ThreadId,
    int OsThreadId,
    int ObjectId = 0,
    WaitKind WaitKind = WaitKind.None,
    WaitOutcome Outcome = WaitOutcome.None,
    int RelatedThreadId = 0,
    long Value = 0,
    string? Label = null);
