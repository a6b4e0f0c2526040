using System.Diagnostics;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// Finds deadlocks among Threadbook's traced locks and semaphores and ends them. Every contended acquire
/// registers "this thread waits for that object" in a process-wide wait-for graph; while it stays blocked it
/// looks, every <see cref="CheckInterval"/>, for a cycle leading back to itself (thread → object it waits
/// for → that object's owner → what the owner waits for → …). A cycle still present after
/// <see cref="ConfirmationDelay"/> is reported: a <see cref="DeadlockReport"/> becomes
/// <see cref="LastReport"/>, <see cref="DeadlockDetected"/> is raised, a <see cref="TraceEventKind.Deadlock"/>
/// event is recorded, and every blocked wait in the cycle throws <see cref="DeadlockException"/> within one
/// check interval, so the threads unwind and release what they hold.
/// </summary>
/// <remarks>
/// <para>Only objects with a single definite owner count: <see cref="TracedRLock"/>, <see cref="TracedLock"/>
/// and a <see cref="TracedSemaphore"/> held by exactly one thread. Waits with no owner to blame — a
/// <see cref="TracedEvent"/> that is never set, a <see cref="TracedCondition"/> that is never notified, a
/// semaphore whose slots are spread over several threads — are not deadlocks to the detector; they end
/// only by their timeout. Re-acquiring a condition's lock after a wait is an ordinary lock wait and does count.</para>
/// <para>A <see cref="TracedLock"/> or <see cref="TracedSemaphore"/> that has been released by a thread that did not
/// acquire it is being used as a signal rather than a lock; from then on it has no definite owner and takes no part
/// in detection. Before that happens, a thread that blocks re-acquiring a lock it holds, expecting another thread to
/// release it for it, is reported if no release comes within <see cref="ConfirmationDelay"/>.</para>
/// <para>Timed waits count too: a wait whose timeout is longer than <see cref="ConfirmationDelay"/> (plus up to one
/// <see cref="CheckInterval"/>) ends with <see cref="DeadlockException"/> rather than returning false; a shorter one
/// times out as usual.</para>
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
    /// Raised once per detected deadlock, on one of the deadlocked threads, before any of them throws.
    /// Handlers must not block; exceptions they throw are ignored.
    /// </summary>
    public static event EventHandler<DeadlockReport>? DeadlockDetected;

    /// <summary>The most recent deadlock detected in this process, or null.</summary>
    public static DeadlockReport? LastReport => Volatile.Read(ref s_lastReport);

    /// <summary>How many deadlocks have been detected in this process.</summary>
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
    /// is about to be released by another thread, or a wait about to time out, from being reported. Zero or positive.
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
    /// once its next check is due. Returns the report when this call confirmed and published a deadlock; the
    /// caller announces it (<see cref="Announce"/>) once it holds no gate, and finds its own verdict set.
    /// </summary>
    internal static DeadlockReport? Check(BlockedWait wait)
    {
        Interlocked.Increment(ref s_checkCount);
        var now = Stopwatch.GetTimestamp();
        wait.NextCheckTimestamp = now + ToStopwatchTicks(Interlocked.Read(ref s_checkIntervalTicks));
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
        var report = BuildReport(cycle);
        lock (PublishGate)
        {
            // Another member of the same cycle may have published it first.
            if (cycle.Any(member => member.Verdict is not null))
            {
                return null;
            }

            foreach (var member in cycle)
            {
                member.TrySetVerdict(report);
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

    private static DeadlockReport BuildReport(BlockedWait[] cycle)
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

        return new DeadlockReport(steps, DateTimeOffset.Now);
    }

    private static long ToStopwatchTicks(long timeSpanTicks) =>
        (long)(timeSpanTicks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
}
