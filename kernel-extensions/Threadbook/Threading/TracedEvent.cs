using System.Diagnostics;
using Threadbook.Rendering;
using Threadbook.Scheduling;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// A flag threads can wait for, with the semantics of Python's <c>threading.Event</c>: <see cref="Set"/> wakes
/// every waiter and keeps the flag up until <see cref="Clear"/>; <see cref="Wait()"/> returns at once while it is
/// up. Its waiters can be seen, and sets, clears and waits are recorded into the active trace.
/// </summary>
/// <remarks>
/// <para>A waiter woken by <see cref="Set"/> returns true even if another thread clears the flag before the
/// waiter runs again, as in Python. A wait records <see cref="TraceEventKind.WaitBegan"/> and
/// <see cref="TraceEventKind.WaitEnded"/> (related thread: the one whose <see cref="Set"/> woke it) only when it
/// actually waits; <see cref="TraceEventKind.EventSet"/> carries how many threads were waiting.</para>
/// <para>A waiter spins briefly, then sleeps without using CPU. A <see cref="Set"/> with no waiter takes no lock.
/// An event has no owner, so a wait for an event nobody sets is not a deadlock to <see cref="DeadlockDetector"/>:
/// give such waits a timeout.</para>
/// </remarks>
[DebuggerDisplay("{ToText(),nq}")]
public sealed class TracedEvent : IRenderable, IScheduledObject
{
    private const string KindName = "Event";
    private const int SpinAttempts = 12;

    private readonly object _gate = new();
    private readonly List<Thread> _waiters = [];
    private int _isSet;
    private int _waiterCount;
    private int _setsWhileWaited;
    private int _lastSetterId;

    /// <summary>Creates an event, not set unless <paramref name="initiallySet"/>. <paramref name="name"/> is shown in traces (default <c>Event#n</c>).</summary>
    public TracedEvent(string? name = null, bool initiallySet = false)
    {
        (ObjectId, Name) = PrimitiveRegistration.Register(name, KindName);
        _isSet = initiallySet ? 1 : 0;
    }

    /// <summary>The name shown in traces and tables.</summary>
    public string Name { get; }

    /// <summary>The id trace events about this event carry.</summary>
    public int ObjectId { get; }

    /// <summary>True while the flag is up (Python's <c>is_set()</c>).</summary>
    public bool IsSet => Volatile.Read(ref _isSet) != 0;

    /// <summary>How many threads are waiting for the event now.</summary>
    public int WaiterCount => Volatile.Read(ref _waiterCount);

    /// <summary>The threads waiting for the event now (a snapshot).</summary>
    public IReadOnlyList<Thread> Waiters => SnapshotWaiters();

    /// <summary>Raises the flag and wakes every thread waiting for it.</summary>
    public void Set()
    {
        if (SchedulingHook.IsActive)
        {
            SchedulingHook.Point(new ScheduledOperation(OperationKind.Set, this));
        }

        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.EventSet, ObjectId, value: WaiterCount);
        }

        Volatile.Write(ref _lastSetterId, Environment.CurrentManagedThreadId);

        // A full fence between raising the flag and reading the waiter count; a waiter increments the count
        // before it reads the flag. So either this sees the waiter and pulses, or the waiter sees the flag.
        Interlocked.Exchange(ref _isSet, 1);
        if (Volatile.Read(ref _waiterCount) != 0)
        {
            lock (_gate)
            {
                _setsWhileWaited++;
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Lowers the flag; later waits block until the next <see cref="Set"/>.</summary>
    public void Clear()
    {
        if (SchedulingHook.IsActive)
        {
            SchedulingHook.Point(new ScheduledOperation(OperationKind.Clear, this));
        }

        Volatile.Write(ref _isSet, 0);
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.EventCleared, ObjectId);
        }
    }

    /// <summary>Waits until the flag is up (returns at once if it is).</summary>
    /// <returns>Always true, as in Python.</returns>
    public bool Wait() => Wait(Deadline.Infinite);

    /// <summary>Waits until the flag is up, at most <paramref name="timeout"/>.</summary>
    /// <returns>True when the flag was up or a <see cref="Set"/> woke the caller; false when the timeout passed first.</returns>
    public bool Wait(TimeSpan timeout) => Wait(Deadline.After(timeout, nameof(timeout)));

    /// <summary>Waits until the flag is up, at most <paramref name="millisecondsTimeout"/> ms (-1: forever).</summary>
    /// <returns>True when the flag was up or a <see cref="Set"/> woke the caller; false when the timeout passed first.</returns>
    public bool Wait(int millisecondsTimeout) => Wait(Deadline.AfterMilliseconds(millisecondsTimeout, nameof(millisecondsTimeout)));

    /// <inheritdoc />
    public string ToHtml() => PrimitiveView.Html(Name, KindName, DescribeState, SnapshotWaiters);

    /// <inheritdoc />
    public string ToText() => PrimitiveView.Text(Name, KindName, DescribeState, SnapshotWaiters);

    /// <inheritdoc />
    public override string ToString() => $"{KindName} '{Name}': {DescribeState()}";

    string IScheduledObject.Kind => KindName;

    // A waiter can go on once the flag is up, or once a Set came after it began waiting (even if cleared since).
    bool IScheduledObject.CanProceed(in ScheduledOperation operation, int threadId) =>
        operation.Kind != OperationKind.Resume || Volatile.Read(ref _isSet) != 0 || Volatile.Read(ref _setsWhileWaited) != operation.Token;

    string IScheduledObject.DescribeState(Func<int, string> threadName) => DescribeState();

    private string DescribeState() => IsSet ? "set" : "not set";

    private Thread[] SnapshotWaiters()
    {
        lock (_gate)
        {
            return [.. _waiters];
        }
    }

    private bool Wait(Deadline deadline)
    {
        if (SchedulingHook.IsActive && SchedulingHook.Current is { } scheduled)
        {
            return WaitScheduled(scheduled, deadline);
        }

        if (Volatile.Read(ref _isSet) != 0)
        {
            return true;
        }

        return !deadline.IsImmediate && WaitUntilSet(deadline);
    }

    /// <summary>
    /// A wait on a thread the explorer runs, in two steps as in Python: the call (which returns at once when the flag is
    /// up), then, after the thread has joined the waiters, going on once a set came (or the timeout passed).
    /// </summary>
    private bool WaitScheduled(IScheduledThread scheduled, Deadline deadline)
    {
        scheduled.Yield(new ScheduledOperation(OperationKind.Wait, this) { NeverWaits = true });
        if (Volatile.Read(ref _isSet) != 0)
        {
            return true;
        }

        if (deadline.IsImmediate)
        {
            return false;
        }

        var thread = Thread.CurrentThread;
        int setsBefore;
        lock (_gate)
        {
            _waiters.Add(thread);
            Interlocked.Increment(ref _waiterCount);
            setsBefore = _setsWhileWaited;
        }

        try
        {
            return scheduled.Yield(ScheduledOperation.Until(OperationKind.Resume, this, deadline.Requested) with { Token = setsBefore });
        }
        finally
        {
            lock (_gate)
            {
                _waiters.Remove(thread);
                Interlocked.Decrement(ref _waiterCount);
            }
        }
    }

    private bool WaitUntilSet(Deadline deadline)
    {
        var tracing = TraceRecorder.Active is not null;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, ObjectId, WaitKind.Event);
        }

        var spinner = default(SpinWait);
        for (var i = 0; i < SpinAttempts && !deadline.HasPassed; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (Volatile.Read(ref _isSet) != 0)
            {
                return EndWait(signalled: true, tracing);
            }
        }

        var thread = Thread.CurrentThread;
        bool signalled;
        try
        {
            lock (_gate)
            {
                _waiters.Add(thread);
                Interlocked.Increment(ref _waiterCount);
                try
                {
                    // A Set that finds waiters bumps this under the gate: a waiter it woke returns true even
                    // if the flag was cleared again before the waiter ran.
                    var setsBefore = _setsWhileWaited;
                    while (true)
                    {
                        if (Volatile.Read(ref _isSet) != 0 || _setsWhileWaited != setsBefore)
                        {
                            signalled = true;
                            break;
                        }

                        var remaining = deadline.RemainingMilliseconds();
                        if (remaining == 0)
                        {
                            signalled = false;
                            break;
                        }

                        Monitor.Wait(_gate, remaining);
                    }
                }
                finally
                {
                    _waiters.Remove(thread);
                    Interlocked.Decrement(ref _waiterCount);
                }
            }
        }
        catch (ThreadInterruptedException)
        {
            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, ObjectId, WaitKind.Event, WaitOutcome.Cancelled);
            }

            throw;
        }

        return EndWait(signalled, tracing);
    }

    private bool EndWait(bool signalled, bool tracing)
    {
        if (tracing)
        {
            TraceRecorder.Record(
                TraceEventKind.WaitEnded, ObjectId, WaitKind.Event,
                signalled ? WaitOutcome.Satisfied : WaitOutcome.TimedOut,
                relatedThreadId: signalled ? Volatile.Read(ref _lastSetterId) : 0);
        }

        return signalled;
    }
}
