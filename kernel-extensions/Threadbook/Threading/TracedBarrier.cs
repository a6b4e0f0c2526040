using System.Diagnostics;
using Threadbook.Rendering;
using Threadbook.Scheduling;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// A meeting point for a fixed number of threads, with the semantics of Python's <c>threading.Barrier</c>: each
/// <see cref="Wait()"/> blocks until <see cref="Parties"/> threads have called it, then all of them go on together. Each
/// gets its arrival index (0 for the first to arrive, <c>Parties - 1</c> for the last), so exactly one of them can be
/// picked to do something once. The barrier is cyclic: once all have left, the next <see cref="Parties"/> arrivals form
/// the next round.
/// </summary>
/// <remarks>
/// <para>Guarantees, as in Python: the <c>action</c> runs exactly once per round, on the last thread to arrive, after all
/// have arrived and before any is let go; if it throws, the barrier breaks, that thread gets the action's exception and the
/// others <see cref="BrokenBarrierException"/>. A wait that times out (its own timeout, else the barrier's default) breaks
/// the barrier: that thread and every other waiter get <see cref="BrokenBarrierException"/>, and so does every later
/// <see cref="Wait()"/> until <see cref="Reset"/>. <see cref="Abort"/> breaks it on purpose. <see cref="Reset"/> makes a
/// broken barrier usable again; the threads waiting at that moment get <see cref="BrokenBarrierException"/>. Threads that
/// arrive while the previous round is still leaving (or a reset is being unwound) wait for that first, so rounds never
/// mix.</para>
/// <para>Trace: a thread that has to wait records <see cref="TraceEventKind.WaitBegan"/>/<see cref="TraceEventKind.WaitEnded"/>
/// with <see cref="WaitKind.Barrier"/> (drawn as waiting, like an event); the last arrival records
/// <see cref="TraceEventKind.BarrierPassed"/> (value: the parties) and is the related thread of the waits it ended, so the
/// timeline draws wake arrows from it; a break records <see cref="TraceEventKind.BarrierBroken"/> (label: why), and the
/// waits it ends end with <see cref="WaitOutcome.Broken"/> (the waiter that timed out: <see cref="WaitOutcome.TimedOut"/>).</para>
/// <para>Deadlocks: a barrier has no owner, so, like a <see cref="TracedEvent"/> that is never set, a barrier that too few
/// threads reach is not a deadlock to <see cref="DeadlockDetector"/>; give such waits a timeout (or the barrier a default
/// one). The interleaving explorer does see it: when every thread of a schedule is stuck, a barrier included, it reports the
/// deadlock, naming the barrier and how many have arrived.</para>
/// <para>The action must not use the barrier itself (Python would deadlock): doing so throws
/// <see cref="InvalidOperationException"/>.</para>
/// </remarks>
[DebuggerDisplay("{ToText(),nq}")]
public sealed class TracedBarrier : IRenderable, IScheduledObject
{
    private const string KindName = "Barrier";

    // Which wait a scheduled step is, for CanProceed: an arrival, a waiter waiting for its round to be let go, or a
    // reset/abort (which, like everything else, waits while the action runs: Python runs it holding the barrier's lock).
    private const long ArrivalToken = 1;
    private const long ReleaseToken = 2;
    private const long QuietToken = 3;

    private readonly object _gate = new();
    private readonly object _waitersGate = new();
    private readonly List<Thread> _waiters = [];
    private readonly Action? _action;
    private int _phase;
    private int _count;
    private int _actionThreadId;
    private int _releaserId;
    private int _breakerId;
    private string _brokenBecause = "";

    /// <summary>
    /// Creates a barrier for <paramref name="parties"/> threads. <paramref name="action"/>, if given, runs once per round on
    /// the last thread to arrive, before any is let go. <paramref name="timeout"/> is the default for <see cref="Wait()"/>
    /// (null or <see cref="Timeout.InfiniteTimeSpan"/>: none). <paramref name="name"/> is shown in traces (default <c>Barrier#n</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="parties"/> is less than 1 (Python: <c>ValueError</c>), or
    /// <paramref name="timeout"/> is negative.</exception>
    public TracedBarrier(int parties, Action? action = null, TimeSpan? timeout = null, string? name = null)
    {
        if (parties < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(parties), parties, "parties must be >= 1 (a barrier needs at least one thread to pass it).");
        }

        if (timeout is { } given && given != Timeout.InfiniteTimeSpan)
        {
            ValidateTimeout(given, nameof(timeout));
            DefaultTimeout = given;
        }

        Parties = parties;
        _action = action;
        (ObjectId, Name) = PrimitiveRegistration.Register(name, KindName);
    }

    /// <summary>The name shown in traces and tables.</summary>
    public string Name { get; }

    /// <summary>The id trace events about this barrier carry.</summary>
    public int ObjectId { get; }

    /// <summary>How many threads must arrive for a round to pass (Python's <c>parties</c>).</summary>
    public int Parties { get; }

    /// <summary>The timeout <see cref="Wait()"/> uses; null when it waits for as long as it takes.</summary>
    public TimeSpan? DefaultTimeout { get; }

    /// <summary>
    /// How many threads are waiting at the barrier in the current round (Python's <c>n_waiting</c>): 0 while a round that
    /// passed is leaving, while a reset is unwound, and while the barrier is broken.
    /// </summary>
    public int WaitingCount => Phase == BarrierPhase.Filling ? Volatile.Read(ref _count) : 0;

    /// <summary>True while the barrier is broken, until <see cref="Reset"/> (Python's <c>broken</c>).</summary>
    public bool IsBroken => Phase == BarrierPhase.Broken;

    /// <summary>The threads waiting for their round to be let go now (a snapshot).</summary>
    public IReadOnlyList<Thread> Waiters => SnapshotWaiters();

    private BarrierPhase Phase => (BarrierPhase)Volatile.Read(ref _phase);

    /// <summary>Waits until <see cref="Parties"/> threads have arrived, at most <see cref="DefaultTimeout"/>.</summary>
    /// <returns>The arrival index: 0 to <c>Parties - 1</c>, different for each thread of the round.</returns>
    /// <exception cref="BrokenBarrierException">The barrier was broken, or broke while waiting (this wait timed out, another
    /// did, it was aborted or reset, or the action threw on another thread).</exception>
    public int Wait() => WaitForRound(DefaultTimeout ?? Timeout.InfiniteTimeSpan);

    /// <summary>Waits until <see cref="Parties"/> threads have arrived, at most <paramref name="timeout"/>
    /// (<see cref="Timeout.InfiniteTimeSpan"/>: no limit); a timeout breaks the barrier.</summary>
    /// <returns>The arrival index: 0 to <c>Parties - 1</c>, different for each thread of the round.</returns>
    /// <exception cref="BrokenBarrierException">The barrier was broken, or broke while waiting.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative.</exception>
    public int Wait(TimeSpan timeout)
    {
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            ValidateTimeout(timeout, nameof(timeout));
        }

        return WaitForRound(timeout);
    }

    /// <summary>
    /// Returns the barrier to its empty, unbroken state. Threads waiting at it now get <see cref="BrokenBarrierException"/>;
    /// arrivals from now on form a new round (once those have left).
    /// </summary>
    public void Reset() => Quietly(OperationKind.Reset, () =>
    {
        var count = Volatile.Read(ref _count);
        if (count > 0)
        {
            // Python's reset: a filling or broken barrier with threads in it unwinds them first; a draining one just drains.
            if (Phase == BarrierPhase.Filling)
            {
                MarkBroken($"it was reset by {ThreadLabel.Current()} while {count} of {Parties} threads waited", BarrierPhase.Resetting);
            }
            else if (Phase == BarrierPhase.Broken)
            {
                SetPhase(BarrierPhase.Resetting);
            }
        }
        else
        {
            SetPhase(BarrierPhase.Filling);
        }
    });

    /// <summary>Breaks the barrier: waiting threads and later arrivals get <see cref="BrokenBarrierException"/> until <see cref="Reset"/>.</summary>
    public void Abort() => Quietly(OperationKind.Abort, () => MarkBroken($"it was aborted by {ThreadLabel.Current()}", BarrierPhase.Broken));

    /// <inheritdoc />
    public string ToHtml() => PrimitiveView.Html(Name, KindName, DescribeState, SnapshotWaiters);

    /// <inheritdoc />
    public string ToText() => PrimitiveView.Text(Name, KindName, DescribeState, SnapshotWaiters);

    /// <inheritdoc />
    public override string ToString() => $"{KindName} '{Name}': {DescribeState()}";

    string IScheduledObject.Kind => KindName;

    bool IScheduledObject.CanProceed(in ScheduledOperation operation, int threadId) => operation.Token switch
    {
        ArrivalToken => Volatile.Read(ref _actionThreadId) == 0 && Phase is BarrierPhase.Filling or BarrierPhase.Broken,
        ReleaseToken => Phase != BarrierPhase.Filling,
        QuietToken => Volatile.Read(ref _actionThreadId) == 0,
        _ => true,
    };

    string IScheduledObject.DescribeState(Func<int, string> threadName) => DescribeState();

    private string DescribeState() => Phase switch
    {
        BarrierPhase.Filling => $"{Volatile.Read(ref _count)}/{Parties} waiting",
        BarrierPhase.Draining => $"0/{Parties} waiting (leaving)",
        BarrierPhase.Resetting => $"0/{Parties} waiting (resetting)",
        _ => $"broken ({Parties} parties)",
    };

    private static void ValidateTimeout(TimeSpan timeout, string parameterName)
    {
        if (timeout < TimeSpan.Zero || timeout.TotalMilliseconds > int.MaxValue)
        {
            throw new ArgumentOutOfRangeException(
                parameterName, timeout, "The timeout must be zero or positive (at most int.MaxValue ms), or Timeout.InfiniteTimeSpan.");
        }
    }

    private Thread[] SnapshotWaiters()
    {
        lock (_waitersGate)
        {
            return [.. _waiters];
        }
    }

    private void SetPhase(BarrierPhase phase) => Volatile.Write(ref _phase, (int)phase);

    /// <summary>
    /// Python's <c>wait</c>: under the barrier's lock (here a private monitor; on a thread the interleaving explorer runs,
    /// its turn, with a scheduling point wherever Python's would wait), enter the round, take an index, then either let the
    /// round go (the last arrival) or wait for that; whichever way it ends, leave the round.
    /// </summary>
    private int WaitForRound(TimeSpan timeout)
    {
        ThrowIfInOwnAction("wait at");
        var scheduled = SchedulingHook.IsActive ? SchedulingHook.Current : null;
        if (scheduled is not null)
        {
            // The arrival: it waits while a round is leaving or the action runs (that is what CanProceed checks).
            scheduled.Yield(new ScheduledOperation(OperationKind.Wait, this) { Token = ArrivalToken });
        }
        else
        {
            Monitor.Enter(_gate);
        }

        try
        {
            if (scheduled is null)
            {
                WaitUntilArrivalsAccepted();
            }

            if (Phase == BarrierPhase.Broken)
            {
                throw Broken();
            }

            var index = _count;
            Volatile.Write(ref _count, index + 1);
            try
            {
                if (index + 1 == Parties)
                {
                    LetTheRoundGo();
                }
                else
                {
                    WaitUntilLetGo(scheduled, timeout);
                }

                return index;
            }
            finally
            {
                Volatile.Write(ref _count, _count - 1);
                if (_count == 0 && Phase is BarrierPhase.Draining or BarrierPhase.Resetting)
                {
                    SetPhase(BarrierPhase.Filling);
                    PulseAll();
                }
            }
        }
        finally
        {
            if (scheduled is null)
            {
                Monitor.Exit(_gate);
            }
        }
    }

    /// <summary>With the gate held: waits while the previous round is still leaving or a reset is unwound.</summary>
    private void WaitUntilArrivalsAccepted()
    {
        if (Phase is BarrierPhase.Filling or BarrierPhase.Broken)
        {
            return;
        }

        var tracing = TraceRecorder.Active is not null;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, ObjectId, WaitKind.Barrier);
        }

        try
        {
            while (Phase is BarrierPhase.Draining or BarrierPhase.Resetting)
            {
                Monitor.Wait(_gate);
            }
        }
        catch (ThreadInterruptedException)
        {
            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Barrier, WaitOutcome.Cancelled);
            }

            throw;
        }

        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Barrier, WaitOutcome.Satisfied);
        }
    }

    /// <summary>The last arrival: runs the action, then lets every waiter of the round go.</summary>
    private void LetTheRoundGo()
    {
        var self = Environment.CurrentManagedThreadId;
        if (_action is { } action)
        {
            Volatile.Write(ref _actionThreadId, self);
            try
            {
                action();
            }
            catch (Exception exception)
            {
                Volatile.Write(ref _actionThreadId, 0);
                MarkBroken($"its action threw {exception.GetType().Name} on {ThreadLabel.Current()}", BarrierPhase.Broken);
                throw;
            }

            Volatile.Write(ref _actionThreadId, 0);
        }

        Volatile.Write(ref _releaserId, self);
        SetPhase(BarrierPhase.Draining);
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.BarrierPassed, ObjectId, value: Parties);
        }

        PulseAll();
    }

    /// <summary>Any arrival but the last: waits until the round is let go, the barrier breaks, or the timeout passes (which breaks it).</summary>
    private void WaitUntilLetGo(IScheduledThread? scheduled, TimeSpan timeout)
    {
        var thread = Thread.CurrentThread;
        lock (_waitersGate)
        {
            _waiters.Add(thread);
        }

        var tracing = scheduled is null && TraceRecorder.Active is not null;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, ObjectId, WaitKind.Barrier, value: _count);
        }

        bool letGo;
        try
        {
            if (scheduled is not null)
            {
                // Time is virtual under the explorer: a timed wait times out when the explorer chooses so.
                var inTime = scheduled.Yield(ScheduledOperation.Until(OperationKind.Resume, this, timeout) with { Token = ReleaseToken });
                letGo = inTime && Phase != BarrierPhase.Filling;
            }
            else
            {
                var deadline = Deadline.After(timeout, nameof(timeout));
                while (Phase == BarrierPhase.Filling)
                {
                    var remaining = deadline.RemainingMilliseconds();
                    if (remaining == 0)
                    {
                        break;
                    }

                    Monitor.Wait(_gate, remaining);
                }

                letGo = Phase != BarrierPhase.Filling;
            }
        }
        catch (ThreadInterruptedException)
        {
            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Barrier, WaitOutcome.Cancelled);
            }

            throw;
        }
        finally
        {
            lock (_waitersGate)
            {
                _waiters.Remove(thread);
            }
        }

        if (!letGo)
        {
            MarkBroken($"{ThreadLabel.Current()} timed out after {timeout.TotalSeconds:0.###} s with {_count} of {Parties} threads arrived", BarrierPhase.Broken);
            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Barrier, WaitOutcome.TimedOut);
            }

            throw Broken();
        }

        if (Phase is BarrierPhase.Broken or BarrierPhase.Resetting)
        {
            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Barrier, WaitOutcome.Broken, relatedThreadId: Volatile.Read(ref _breakerId));
            }

            throw Broken();
        }

        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Barrier, WaitOutcome.Satisfied, relatedThreadId: Volatile.Read(ref _releaserId));
        }
    }

    /// <summary>Runs <paramref name="change"/> under the barrier's lock (Python's reset and abort), after a scheduling point.</summary>
    private void Quietly(OperationKind kind, Action change)
    {
        ThrowIfInOwnAction(kind == OperationKind.Reset ? "reset" : "abort");
        if (SchedulingHook.IsActive && SchedulingHook.Current is { } scheduled)
        {
            scheduled.Yield(new ScheduledOperation(kind, this) { Token = QuietToken });
            change();
            return;
        }

        lock (_gate)
        {
            change();
            PulseAll();
        }
    }

    /// <summary>Breaks the barrier (or, for a reset, sends its waiters away broken), remembering who and why, and wakes every waiter.</summary>
    private void MarkBroken(string because, BarrierPhase phase)
    {
        _brokenBecause = because;
        Volatile.Write(ref _breakerId, Environment.CurrentManagedThreadId);
        SetPhase(phase);
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.BarrierBroken, ObjectId, value: Volatile.Read(ref _count), label: because);
        }

        PulseAll();
    }

    /// <summary>Wakes every thread sleeping on the gate; under the explorer nobody sleeps on it, and it is not held.</summary>
    private void PulseAll()
    {
        if (Monitor.IsEntered(_gate))
        {
            Monitor.PulseAll(_gate);
        }
    }

    private BrokenBarrierException Broken() => new(
        $"Barrier '{Name}' is broken: {_brokenBecause}. {ThreadLabel.Current()} cannot pass it" +
        (Phase == BarrierPhase.Broken ? "; Reset() makes it usable again (Python: threading.BrokenBarrierError)." : " (Python: threading.BrokenBarrierError)."));

    private void ThrowIfInOwnAction(string operation)
    {
        if (Volatile.Read(ref _actionThreadId) == Environment.CurrentManagedThreadId)
        {
            throw new InvalidOperationException(
                $"{ThreadLabel.Current()} cannot {operation} {KindName} '{Name}' from inside its own action: the action runs while the " +
                "barrier lets a round go (Python would deadlock here). Do it after Wait() returns instead.");
        }
    }
}
