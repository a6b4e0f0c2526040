using System.Diagnostics;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// Finds deadlocks among Threadbook's traced locks and semaphores, reports them, and ends those that can never end
/// by themselves. Every contended acquire registers "this thread waits for that object" in a process-wide wait-for
/// graph; while it stays blocked it looks, every <see cref="CheckInterval"/>, for a cycle leading back to itself
/// (thread → object it waits for → that object's owner → what the owner waits for → …). A cycle still present after
/// <see cref="ConfirmationDelay"/> is reported once: a <see cref="DeadlockReport"/> becomes <see cref="LastReport"/>,
/// <see cref="DeadlockDetected"/> is raised and a <see cref="TraceEventKind.Deadlock"/> event is recorded.
/// </summary>
/// <remarks>
/// <para>The rule: a program CPython runs to completion never gets a <see cref="DeadlockException"/>, and a timed wait
/// never throws one. So a report is either <b>definite</b> or <b>suspected</b>
/// (<see cref="DeadlockReport.IsDefinite"/>):</para>
/// <list type="bullet">
/// <item><b>Definite</b>: every wait in the cycle is untimed and waits for a <see cref="TracedRLock"/>, which only its
/// owner can release, and every owner is blocked in the cycle. Nothing can ever end it (CPython would hang forever),
/// so every wait in the cycle throws <see cref="DeadlockException"/> within one check interval and the threads unwind
/// and release what they hold. Two RLocks taken in opposite orders are the classic case.</item>
/// <item><b>Suspected</b>: the cycle passes through a <see cref="TracedLock"/> or <see cref="TracedSemaphore"/>, which
/// any thread may release (Python allows it, and "acquire a Lock I hold, let another thread release it" is a legal
/// signal), or one of its waits has a timeout and so ends by itself. Whether it resolves cannot be known in general, so
/// nothing is ended: untimed waits go on waiting (exactly as in CPython: forever, if no release ever comes) and timed
/// waits return false at their timeout. The report only tells what the threads are waiting for. A thread taking a
/// plain <see cref="TracedLock"/> twice with no other thread to release it is reported this way.</item>
/// </list>
/// <para>Only objects with a single definite owner are followed: <see cref="TracedRLock"/>, <see cref="TracedLock"/>
/// and a <see cref="TracedSemaphore"/> held by exactly one thread. Waits with no owner to blame — a
/// <see cref="TracedEvent"/> that is never set, a <see cref="TracedCondition"/> that is never notified, a
/// semaphore whose slots are spread over several threads — are never reported. Re-acquiring a condition's lock after
/// a wait is an ordinary lock wait and does count. A <see cref="TracedLock"/> or <see cref="TracedSemaphore"/> once
/// released by a thread that did not acquire it is used as a signal and takes no further part.</para>
/// <para>Each set of blocked waits is reported at most once; a wait that ends and starts again is a new wait.</para>
/// <para>Plain <c>lock</c>, <see cref="Monitor"/> and wait handles are invisible to the detector.</para>
/// </remarks>
public static class DeadlockDetector
{
    private static readonly object PublishGate = new();
    private static DeadlockReport? s_lastReport;
    private static int s_reportCount;
    private static long s_checkCount;
    private static long s_checkIntervalTicks = TimeSpan.FromMilliseconds(100).Ticks;
    private static long s_confirmationDelayTicks = TimeSpan.FromMilliseconds(500).Ticks;

    /// <summary>
    /// Raised once per reported cycle, definite or suspected (<see cref="DeadlockReport.IsDefinite"/>), on one of the
    /// waiting threads, before any of them throws. Handlers must not block; exceptions they throw are ignored.
    /// </summary>
    public static event EventHandler<DeadlockReport>? DeadlockDetected;

    /// <summary>The most recent deadlock reported in this process (definite or suspected), or null.</summary>
    public static DeadlockReport? LastReport => Volatile.Read(ref s_lastReport);

    /// <summary>How many deadlocks (definite and suspected) have been reported in this process.</summary>
    public static int ReportCount => Volatile.Read(ref s_reportCount);

    /// <summary>
    /// How often a blocked wait looks for a cycle, and so how late a wait can notice it was chosen to end one
    /// (default 100 ms). Must be positive.
    /// </summary>
    public static TimeSpan CheckInterval
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref s_checkIntervalTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            Interlocked.Exchange(ref s_checkIntervalTicks, value.Ticks);
        }
    }

    /// <summary>
    /// How long a cycle must persist, unchanged, before it is reported (default 500 ms). It keeps a lock that
    /// is about to be released by another thread, or a wait about to time out, from being reported; it never decides
    /// whether a wait ends (see the remarks). Zero or positive.
    /// </summary>
    public static TimeSpan ConfirmationDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref s_confirmationDelayTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref s_confirmationDelayTicks, value.Ticks);
        }
    }

    /// <summary>How many times a blocked wait has looked for a cycle (tests use it to see the detector was exercised).</summary>
    internal static long CheckCount => Interlocked.Read(ref s_checkCount);

    /// <summary>Forgets <see cref="LastReport"/> (a host may call it before running new code).</summary>
    public static void ClearLastReport() => Volatile.Write(ref s_lastReport, null);

    /// <summary>
    /// Called by a blocked thread about its own <paramref name="wait"/> (state <see cref="WaitState.Blocked"/>)
    /// once its next check is due. Returns the report when this call confirmed and published a cycle; the
    /// caller announces it (<see cref="Announce"/>) once it holds no gate, and finds its own verdict set when the
    /// cycle was definite.
    /// </summary>
    internal static DeadlockReport? Check(BlockedWait wait)
    {
        Interlocked.Increment(ref s_checkCount);
        var now = Stopwatch.GetTimestamp();
        wait.NextCheckTimestamp = now + ToStopwatchTicks(Interlocked.Read(ref s_checkIntervalTicks));

        // Reported already (a suspected cycle whose waits go on): while they all stay blocked the cycle cannot
        // change, and each wait is reported at most once.
        if (wait.Report is not null)
        {
            return null;
        }

        var cycle = WaitForGraph.FindCycle(wait);
        if (cycle is null)
        {
            wait.CandidateCycle = null;
            return null;
        }

        // The same waits (not merely the same threads and objects): a wait that ended and started again is
        // a new wait, and its clock starts again.
        if (wait.CandidateCycle is not { } seen || !seen.SequenceEqual(cycle))
        {
            wait.CandidateCycle = cycle;
            wait.CandidateSince = now;
        }

        return now - wait.CandidateSince >= ToStopwatchTicks(Interlocked.Read(ref s_confirmationDelayTicks))
            ? Publish(cycle)
            : null;
    }

    /// <summary>Raises <see cref="DeadlockDetected"/>; call it holding no lock.</summary>
    internal static void Announce(DeadlockReport report)
    {
        if (DeadlockDetected is not { } handlers)
        {
            return;
        }

        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<DeadlockReport>>())
        {
            try
            {
                handler(null, report);
            }
            catch (Exception)
            {
                // A host that fails to show the report must not change how the deadlocked waits end.
            }
        }
    }

    private static DeadlockReport? Publish(BlockedWait[] cycle)
    {
        // Definite only when nothing can ever end it: no wait has a timeout and no object can be released by a
        // thread outside the cycle.
        var isDefinite = cycle.All(member => !member.IsTimed && member.Target.OnlyOwnerReleases);
        var report = BuildReport(cycle, isDefinite);
        lock (PublishGate)
        {
            // Another member of the same cycle may have published it first (a suspected cycle stays as it is, and
            // its members keep checking: it is reported once).
            if (cycle.Any(member => member.Report is not null))
            {
                return null;
            }

            foreach (var member in cycle)
            {
                member.TrySetReport(report);
                if (isDefinite)
                {
                    member.TrySetVerdict(report);
                }
            }

            Volatile.Write(ref s_lastReport, report);
            s_reportCount++;
        }

        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.Deadlock, objectId: cycle[0].Target.ObjectId, label: report.Summary);
        }

        return report;
    }

    private static DeadlockReport BuildReport(BlockedWait[] cycle, bool isDefinite)
    {
        var count = cycle.Length;
        var first = 0;
        for (var i = 1; i < count; i++)
        {
            if (cycle[i].ThreadId < cycle[first].ThreadId)
            {
                first = i;
            }
        }

        var steps = new DeadlockStep[count];
        for (var k = 0; k < count; k++)
        {
            var i = (first + k) % count;
            var member = cycle[i];
            var previous = cycle[(i + count - 1) % count];
            var next = cycle[(i + 1) % count];
            steps[k] = new DeadlockStep(
                member.ThreadId,
                member.Thread.Name,
                previous.Target.Name,
                previous.Target.ObjectId,
                member.Target.Name,
                member.Target.Kind,
                member.Target.ObjectId,
                next.ThreadId,
                next.Thread.Name);
        }

        return new DeadlockReport(steps, DateTimeOffset.Now, isDefinite);
    }

    private static long ToStopwatchTicks(long timeSpanTicks) =>
        (long)(timeSpanTicks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
}
