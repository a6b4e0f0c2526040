using System.Runtime.ExceptionServices;
using Threadbook.Introspection;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Fibers;

/// <summary>
/// Everything a <see cref="Fiber"/> is, except the object user code holds. A fiber's parked thread refers only to its
/// core (the thread's delegate, its thread-static, the frames of its own <see cref="Transfer"/>), never to the
/// <see cref="Fiber"/> itself; the core holds its <see cref="Fiber"/> strongly only while it runs (<see cref="Self"/>).
/// So a suspended fiber nobody else refers to becomes garbage, its finalizer hands it to its group, and the group's
/// running fiber ends it at its next switch (greenlet's rule for a greenlet that becomes garbage).
/// </summary>
internal sealed class FiberCore
{
    private const int MaxNameLength = 60;
    private static int s_lastId;
    private static int s_liveThreads;

    [ThreadStatic]
    private static FiberCore? t_current;

    private readonly WeakReference<Fiber> _outer;
    private readonly int _maxStackSize;
    private readonly ParkingSpot _spot = new();
    private Thread? _thread;
    private int _osThreadId;
    private volatile FiberState _state;
    private volatile bool _started;
    private int _traceObjectId;
    private int _abandoned;

    // The hand-off. The fiber that switches here writes these, then unparks _spot; this fiber's thread reads them
    // after its park returns (the spot orders the two).
    private object? _inValue;
    private ExceptionDispatchInfo? _inError;
    private ExecutionContext? _inContext;
    private int _inFromThreadId;

    public FiberCore(Fiber outer, Func<object?, object?>? run, string? functionName, string? name, Fiber parent, int maxStackSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxStackSize);
        Id = Interlocked.Increment(ref s_lastId);
        Name = Clip(string.IsNullOrWhiteSpace(name) ? functionName ?? $"fiber-{Id}" : name);
        _outer = new WeakReference<Fiber>(outer);
        Run = run;
        Parent = parent;
        Group = parent.Core.Group;
        _maxStackSize = maxStackSize;
        _state = FiberState.NotStarted;
    }

    // The core of the calling thread's main fiber.
    public FiberCore(Fiber outer, Thread root)
    {
        Id = Interlocked.Increment(ref s_lastId);
        IsMain = true;
        Name = Clip($"main of {ThreadLabel.Of(root)}");
        _outer = new WeakReference<Fiber>(outer);
        Self = outer; // a main fiber lives as long as its thread
        Group = new FiberGroup(root);
        _thread = root;
        _osThreadId = LinuxTasks.CurrentThreadId();
        _started = true;
        _state = FiberState.Running;
    }

    public static int LiveThreadCount => Volatile.Read(ref s_liveThreads);

    public int Id { get; }

    public string Name { get; }

    public bool IsMain { get; }

    public FiberGroup Group { get; }

    /// <summary>The fiber's function until it starts (then it is let go, as greenlet lets go of <c>run</c>).</summary>
    public Func<object?, object?>? Run { get; set; }

    public Fiber? Parent { get; set; }

    /// <summary>The user-facing fiber, held strongly only while this fiber runs (always, for a main fiber).</summary>
    public Fiber? Self { get; private set; }

    public Exception? EndedBy { get; private set; }

    public FiberState State => IsMain && _state != FiberState.Dead && !Group.Root.IsAlive ? FiberState.Dead : _state;

    public bool IsStarted => _started;

    public bool ThreadExited => IsMain && !Group.Root.IsAlive;

    public Thread? Thread => _thread;

    public int? OsThreadId => _thread is null ? null : Volatile.Read(ref _osThreadId);

    public int TraceObjectId => _traceObjectId != 0 ? _traceObjectId : _traceObjectId = TraceRecorder.RegisterObject(Name, "Fiber");

    /// <summary>
    /// The running fiber of the calling thread (its main fiber, made on first use, outside any fiber). Before it
    /// answers, it ends the suspended fibers of this thread that were dropped since the last time, as greenlet's
    /// <c>getcurrent()</c> and <c>switch()</c> do: each gets <see cref="FiberExit"/> with the caller as its parent.
    /// </summary>
    public static FiberCore Current()
    {
        var current = t_current ?? CreateMain();
        if (current.Group.HasDropped && !current.Group.IsOrphaned)
        {
            current.EndDropped();
        }

        return current;
    }

    public static string Clip(string text) =>
        text.Length <= MaxNameLength ? text : string.Concat(text.AsSpan(0, MaxNameLength - 1), "…");

    /// <summary>
    /// Moves control from <paramref name="from"/> (the running fiber of its group) to <paramref name="target"/>, then,
    /// unless <paramref name="from"/> is dying, parks it until it is switched to again and returns what it received.
    /// </summary>
    /// <remarks>
    /// Only cores stay on the parked thread's stack: <paramref name="target"/> is cleared before the park, so a
    /// suspended fiber does not keep the fiber it switched to alive from its own frame.
    /// </remarks>
    public static object? Transfer(FiberCore from, Fiber target, object? value, ExceptionDispatchInfo? error, bool fromDies, ExecutionContext? context)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = from.Group;
        if (!ReferenceEquals(target.Core.Group, group))
        {
            throw new InvalidOperationException(
                $"Fiber '{target.Name}' belongs to {ThreadLabel.Of(target.Core.Group.Root)}{(target.Core.Group.Root.IsAlive ? string.Empty : " (which has exited)")}; " +
                "only fibers of that thread can switch to it (greenlet: cannot switch to a different thread).");
        }

        if (group.IsOrphaned && !fromDies)
        {
            throw new FiberExit($"The thread that owned fiber '{from.Name}' has ended: it can no longer switch.");
        }

        // Where control really goes: a dead fiber passes it to its parent, and a fiber that has not started dies at
        // once of an exception thrown into it, which then goes to its parent (a FiberExit as a value).
        while (true)
        {
            while (target.Core._state == FiberState.Dead)
            {
                // A dead fiber dies again of what is thrown into it: a FiberExit quietly, as a value for the parent.
                target = target.Core.Parent!;
                if (!fromDies && error?.SourceException is FiberExit quiet)
                {
                    value = quiet;
                    error = null;
                }
            }

            if (ReferenceEquals(target.Core, from))
            {
                error?.Throw();
                return value;
            }

            if (target.Core._state == FiberState.NotStarted && target.Core.Run is null)
            {
                // greenlet raises AttributeError('run') and leaves the greenlet unstarted; a dying fiber's parent without
                // a function passes the error on to its own parent.
                var missing = new InvalidOperationException(
                    $"Fiber '{target.Name}' has no function to run: set its Run before switching to it (greenlet: AttributeError 'run').");
                if (!fromDies)
                {
                    throw missing;
                }

                (value, error, target) = (null, ExceptionDispatchInfo.Capture(missing), target.Core.Parent!);
                continue;
            }

            if (target.Core._state == FiberState.NotStarted && error is not null)
            {
                target.Core.EndWithoutRunning(error.SourceException);
                if (error.SourceException is FiberExit exit)
                {
                    value = exit;
                    error = null;
                }

                continue;
            }

            break;
        }

        var to = target.Core;

        // A fiber's thread is started only once its first value is in place, so it never has to wait for it.
        var starting = to._state == FiberState.NotStarted;
        var thread = starting ? to.CreateThread() : null; // may throw: nothing has changed yet

        var waitObject = 0;
        if (!fromDies)
        {
            from._state = FiberState.Suspended;
            if (TraceRecorder.Active is not null)
            {
                waitObject = to.TraceObjectId;
                TraceRecorder.Record(TraceEventKind.WaitBegan, waitObject, WaitKind.Switch);
            }
        }

        // From here on the switching fiber is no longer running: only someone else's reference keeps it alive.
        if (!from.IsMain)
        {
            from.Self = null;
        }

        to.Resume(target, value, error, context);
        if (thread is not null)
        {
            try
            {
                to.StartThread(thread);
            }
            catch
            {
                // The OS would not start a thread: undo the hand-off and let the caller see why.
                (to._inValue, to._inError, to._inContext) = (null, null, null);
                to._spot.Cancel();
                to._state = FiberState.NotStarted;
                to.Self = null;
                from._state = FiberState.Running;
                from.RestoreSelf();
                throw;
            }
        }

        if (fromDies)
        {
            return null;
        }

        // Debug builds keep locals alive to the end of the method: let go of the user-facing objects before parking.
        target = null!;
        from._spot.Park();
        var (received, raised, resumedBy) = from.TakeDelivery();
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.WaitEnded, waitObject, WaitKind.Switch, WaitOutcome.Satisfied, relatedThreadId: resumedBy);
        }

        raised?.Throw();
        return received;
    }

    /// <summary>Undoes the clearing of <see cref="Self"/> when a switch away failed (kept out of <see cref="Transfer"/>, whose frame must not hold it).</summary>
    private void RestoreSelf() => Self = _outer.TryGetTarget(out var self) ? self : null;

    /// <summary>Called by the finalizer of this core's <see cref="Fiber"/>: a suspended fiber nobody can reach is handed to its group to be ended.</summary>
    public void Dropped(Fiber outer)
    {
        if (!IsMain && _state == FiberState.Suspended && !Group.IsOrphaned)
        {
            Group.AddDropped(outer); // resurrects it until the group's running fiber ends it
        }
    }

    /// <summary>
    /// Ends this suspended fiber from <paramref name="current"/>, the running fiber of its group: raises
    /// <see cref="FiberExit"/> at its suspended switch with <paramref name="current"/> as its parent for the moment, so
    /// its <c>finally</c> blocks run and control comes back here (greenlet's kill on collection). A fiber that catches
    /// it and switches elsewhere instead of ending keeps its own parent. Returns what came back (normally the exit).
    /// </summary>
    public object? KillFrom(FiberCore current, Fiber outer)
    {
        var parent = Parent;
        Parent = current.Self;
        try
        {
            return Transfer(current, outer, value: null, ExceptionDispatchInfo.Capture(new FiberExit()), fromDies: false, ExecutionContext.Capture());
        }
        finally
        {
            if (_state != FiberState.Dead)
            {
                Parent = parent;
            }
        }
    }

    /// <summary>Called by the reaper (or <see cref="Fiber.Dispose"/>) once the fiber's thread group can never switch again.</summary>
    public void EndAbandoned(TimeSpan joinTimeout, Fiber? outer)
    {
        Group.MarkOrphaned();
        var thread = _thread;
        if (Interlocked.Exchange(ref _abandoned, 1) != 0)
        {
            // The reaper and Dispose may both get here: only one of them raises FiberExit.
        }
        else if (_state == FiberState.Suspended)
        {
            // The fiber runs its finally blocks as itself: with its user-facing object if that still exists.
            var self = outer ?? (_outer.TryGetTarget(out var alive) ? alive : Fiber.Rewrap(this));
            Resume(self, null, ExceptionDispatchInfo.Capture(new FiberExit($"The thread that owned fiber '{Name}' has ended: nobody can switch to it any more.")), context: null);
        }
        else if (_state == FiberState.NotStarted)
        {
            EndWithoutRunning(new FiberExit());
        }

        if (thread is not null && !IsMain && !ReferenceEquals(thread, System.Threading.Thread.CurrentThread))
        {
            thread.Join(joinTimeout);
        }
    }

    public void EndWithoutRunning(Exception cause)
    {
        EndedBy = cause;
        Run = null;
        _state = FiberState.Dead;
    }

    private static FiberCore CreateMain()
    {
        var main = Fiber.CreateMain(System.Threading.Thread.CurrentThread).Core;
        t_current = main;
        return main;
    }

    private void EndDropped()
    {
        foreach (var dropped in Group.TakeDropped())
        {
            var core = dropped.Core;
            if (core._state != FiberState.Suspended)
            {
                continue;
            }

            try
            {
                core.KillFrom(this, dropped);
            }
            catch (Exception failure)
            {
                // greenlet hands such an exception to sys.unraisablehook: it does not belong to whoever ran the kill.
                Fiber.ReportDroppedFiberFailure(dropped, failure);
            }

            if (core._state != FiberState.Dead)
            {
                GC.ReRegisterForFinalize(dropped); // it switched elsewhere instead of ending: drop it again later
            }
        }
    }

    private Thread CreateThread() => new(ThreadMain, _maxStackSize)
    {
        IsBackground = true,
        Name = Clip($"fiber {Name}"),
    };

    private void StartThread(Thread thread)
    {
        Group.AddThread(this);
        Interlocked.Increment(ref s_liveThreads);
        _thread = thread;
        _started = true;
        try
        {
            // No flowed context: each resume brings the switcher's.
            thread.UnsafeStart();
        }
        catch
        {
            _thread = null;
            _started = false;
            Group.RemoveThread(this);
            Interlocked.Decrement(ref s_liveThreads);
            throw;
        }

        FiberReaper.Watch(Group);
    }

    /// <summary>Hands this (parked or new) fiber the value or exception and wakes its thread.</summary>
    private void Resume(Fiber self, object? value, ExceptionDispatchInfo? error, ExecutionContext? context)
    {
        Self = self;
        _inValue = value;
        _inError = error;
        _inContext = context;
        _inFromThreadId = Environment.CurrentManagedThreadId;
        _state = FiberState.Running;
        _spot.Unpark();
    }

    private (object? Value, ExceptionDispatchInfo? Error, int From) TakeDelivery()
    {
        var value = _inValue;
        var error = _inError;
        var context = _inContext;
        var from = _inFromThreadId;
        _inValue = null;
        _inError = null;
        _inContext = null;
        // A fiber's own thread takes on the context of whoever switched to it (so its output goes where the switch
        // happened); a main fiber's thread is not ours, and its code goes on in its own context.
        if (!IsMain && context is not null && !ReferenceEquals(context, ExecutionContext.Capture()))
        {
            ExecutionContext.Restore(context);
        }

        return (value, error, from);
    }

    private void ThreadMain()
    {
        t_current = this;
        Volatile.Write(ref _osThreadId, LinuxTasks.CurrentThreadId());
        var emptyContext = ExecutionContext.Capture();
        try
        {
            _spot.Park();
            var (value, _, _) = TakeDelivery(); // a fiber is started only by a switch: a throw kills it unstarted
            var run = Run!;
            Run = null;
            if (TraceRecorder.Active is not null)
            {
                TraceRecorder.Record(TraceEventKind.ThreadStarted, label: Clip($"fiber {Name}"));
            }

            object? result = null;
            ExceptionDispatchInfo? failure = null;
            try
            {
                result = run(value);
            }
            catch (FiberExit exit)
            {
                result = exit;
                EndedBy = exit;
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
                EndedBy = exception;
            }

            _state = FiberState.Dead;
            if (TraceRecorder.Active is not null)
            {
                TraceRecorder.Record(TraceEventKind.ThreadStopped);
            }

            // Leave the last switcher's context before control moves on, as a thread leaves its cell when it ends; the
            // parent (if it is a fiber's thread) goes on in that context.
            var lastContext = ExecutionContext.Capture();
            if (emptyContext is not null && !ReferenceEquals(emptyContext, lastContext))
            {
                ExecutionContext.Restore(emptyContext);
            }

            if (!Group.IsOrphaned)
            {
                Transfer(this, Parent!, result, failure, fromDies: true, lastContext);
            }
            else
            {
                Self = null;
            }
        }
        finally
        {
            Group.RemoveThread(this);
            Interlocked.Decrement(ref s_liveThreads);
        }
    }
}
