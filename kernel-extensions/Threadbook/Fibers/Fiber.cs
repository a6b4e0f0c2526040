using System.Diagnostics;
using System.Net;
using System.Runtime.ExceptionServices;
using Threadbook.Introspection;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Fibers;

/// <summary>
/// A stackful coroutine with the semantics of Python's <c>greenlet</c>: it runs a function, and
/// <see cref="Switch"/> hands control to another fiber, which continues where it stopped; the value passed to
/// <see cref="Switch"/> comes out of the other fiber's own <see cref="Switch"/> call (or, the first time, becomes its
/// function's argument). Only one fiber of a thread's group runs at a time, and nothing runs until someone switches.
/// <code>
/// Fiber? gr1 = null, gr2 = null;
/// gr1 = new Fiber(() => { Console.WriteLine(12); gr2!.Switch(); Console.WriteLine(34); gr2!.Switch(); });
/// gr2 = new Fiber(() => { Console.WriteLine(56); gr1.Switch(); Console.WriteLine(78); });
/// gr1.Switch();   // prints 12, 56, 34, 78
/// </code>
/// </summary>
/// <remarks>
/// <para><b>Greenlet's rules, kept.</b> Every thread has a main fiber (<see cref="Current"/> outside any fiber, like
/// <c>greenlet.getcurrent()</c>); a new fiber's <see cref="Parent"/> is the fiber that created it. When a fiber's
/// function returns, its parent gets control back and the return value comes out of the parent's
/// <see cref="Switch"/>. When it throws, the exception is rethrown from the parent's <see cref="Switch"/> with its
/// original stack trace — except <see cref="FiberExit"/>, which ends the fiber quietly: the parent receives the
/// <see cref="FiberExit"/> object as the value. Switching to a dead fiber goes to its parent (or the parent's parent,
/// and so on: the first that is not dead) with the same value; <see cref="Throw"/> into a fiber that has not
/// started or is dead kills it without running it and delivers the exception to that parent the same way.
/// Switching to the running fiber itself returns the value at once.</para>
/// <para><b>How it is built.</b> .NET has no portable way to switch stacks, so every fiber runs on a dedicated
/// background thread of its own (created at the first switch into it) and a switch is a strict hand-off: the
/// switching thread writes the value into the target, raises its flag, and parks; exactly one thread of a group is
/// ever unparked. That allows everything a real stackful coroutine allows: <see cref="Switch"/> works from any call
/// depth, inside any code (LINQ, callbacks, recursion, <c>lock</c>-free libraries), which C#'s own stackless
/// coroutines (iterators, <c>async</c>) cannot do. It costs a thread per started, unfinished fiber (its stack is
/// reserved address space; only the pages it touches use memory) and a thread hand-off per switch: the parked thread
/// spins on its flag for up to about 20 µs (a switch then costs roughly a cache-line transfer between cores, around
/// 100 ns), and then blocks in the kernel (a switch to a blocked fiber costs microseconds).</para>
/// <para><b>Ending fibers.</b> A fiber whose function returns or throws ends its thread. A fiber left suspended keeps
/// its parked thread (no CPU, only its stack): end it with <see cref="Dispose"/> or <see cref="Kill"/>, which raise
/// <see cref="FiberExit"/> at its suspended <see cref="Switch"/> so its <c>finally</c> blocks run. Fibers abandoned
/// by a thread that has ended are ended the same way by a reaper within about a second; fiber threads are background
/// threads, so they never keep the process alive. A fiber abandoned while its thread lives on (a notebook's kernel
/// thread, a pool thread) stays parked until it is disposed or the process exits: see
/// <see cref="LiveThreadCount"/>.</para>
/// <para>A fiber resumes with the execution context (async-locals, a notebook cell's output) of the fiber that
/// switched to it, so its output appears where the switch happened.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Fiber : IRenderable, IDisposable
{
    /// <summary>
    /// The longest a parked fiber's thread spins, waiting for its turn, before it blocks in the kernel. The spin
    /// adapts: it halves (down to 1 µs) each time the turn did not come in time, and doubles when it did, so a fiber
    /// that is resumed at once spins and one that waits long (or a busy machine) blocks almost at once; every 16th
    /// park spins the full time again, to notice when quick answers are possible again.
    /// </summary>
    public static readonly TimeSpan SpinBeforeBlocking = TimeSpan.FromMicroseconds(20);

    private const int MaxNameLength = 60;
    private static readonly TimeSpan DisposeJoinTimeout = TimeSpan.FromSeconds(10);
    private static int s_lastId;
    private static int s_liveThreads;

    [ThreadStatic]
    private static Fiber? t_current;

    private readonly Func<object?, object?>? _run;
    private readonly FiberGroup _group;
    private readonly int _maxStackSize;
    private readonly ParkingSpot _spot = new();
    private Fiber? _parent;
    private Thread? _thread;
    private int _osThreadId;
    private volatile FiberState _state;
    private volatile bool _started;
    private Exception? _endedBy;
    private int _traceObjectId;
    private int _abandoned;

    // The hand-off. The fiber that switches here writes these, then unparks _spot; this fiber's thread reads them
    // after its park returns (the spot orders the two).
    private object? _inValue;
    private ExceptionDispatchInfo? _inError;
    private ExecutionContext? _inContext;
    private int _inFromThreadId;

    /// <summary>
    /// Creates a fiber that will run <paramref name="run"/>: the value of the first <see cref="Switch"/> into it is its
    /// argument, and its return value goes to its <see cref="Parent"/> when it ends.
    /// </summary>
    /// <param name="run">The fiber's function.</param>
    /// <param name="name">Shown in views and traces; by default the function's name, or <c>fiber-N</c>.</param>
    /// <param name="parent">Who gets control when the fiber ends; by default <see cref="Current"/>.</param>
    /// <param name="maxStackSize">The stack size of the fiber's thread in bytes; 0 for the runtime's default.</param>
    public Fiber(Func<object?, object?> run, string? name = null, Fiber? parent = null, int maxStackSize = 0)
        : this(run ?? throw new ArgumentNullException(nameof(run)), DelegateName.Of(run), name, parent, maxStackSize)
    {
    }

    /// <summary>Creates a fiber that runs <paramref name="run"/>, which ignores the first switch's value; its return value goes to its <see cref="Parent"/>.</summary>
    /// <param name="run">The fiber's function.</param>
    /// <param name="name">Shown in views and traces; by default the function's name, or <c>fiber-N</c>.</param>
    /// <param name="parent">Who gets control when the fiber ends; by default <see cref="Current"/>.</param>
    /// <param name="maxStackSize">The stack size of the fiber's thread in bytes; 0 for the runtime's default.</param>
    public Fiber(Func<object?> run, string? name = null, Fiber? parent = null, int maxStackSize = 0)
        : this(Wrap(run ?? throw new ArgumentNullException(nameof(run))), DelegateName.Of(run), name, parent, maxStackSize)
    {
    }

    /// <summary>Creates a fiber that runs <paramref name="run"/>, which ignores the first switch's value and returns nothing.</summary>
    /// <param name="run">The fiber's function.</param>
    /// <param name="name">Shown in views and traces; by default the function's name, or <c>fiber-N</c>.</param>
    /// <param name="parent">Who gets control when the fiber ends; by default <see cref="Current"/>.</param>
    /// <param name="maxStackSize">The stack size of the fiber's thread in bytes; 0 for the runtime's default.</param>
    public Fiber(Action run, string? name = null, Fiber? parent = null, int maxStackSize = 0)
        : this(Wrap(run ?? throw new ArgumentNullException(nameof(run))), DelegateName.Of(run), name, parent, maxStackSize)
    {
    }

    /// <summary>Creates a fiber that runs <paramref name="run"/> with the first switch's value, returning nothing.</summary>
    /// <param name="run">The fiber's function.</param>
    /// <param name="name">Shown in views and traces; by default the function's name, or <c>fiber-N</c>.</param>
    /// <param name="parent">Who gets control when the fiber ends; by default <see cref="Current"/>.</param>
    /// <param name="maxStackSize">The stack size of the fiber's thread in bytes; 0 for the runtime's default.</param>
    public Fiber(Action<object?> run, string? name = null, Fiber? parent = null, int maxStackSize = 0)
        : this(Wrap(run ?? throw new ArgumentNullException(nameof(run))), DelegateName.Of(run), name, parent, maxStackSize)
    {
    }

    private Fiber(Func<object?, object?> run, string? functionName, string? name, Fiber? parent, int maxStackSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxStackSize);
        Id = Interlocked.Increment(ref s_lastId);
        Name = Clip(string.IsNullOrWhiteSpace(name) ? functionName ?? $"fiber-{Id}" : name);
        _run = run;
        _parent = parent ?? Current;
        _group = _parent._group;
        _maxStackSize = maxStackSize;
        _state = FiberState.NotStarted;
    }

    // The main fiber of the calling thread.
    private Fiber(Thread root)
    {
        Id = Interlocked.Increment(ref s_lastId);
        IsMain = true;
        Name = Clip($"main of {ThreadLabel.Of(root)}");
        _group = new FiberGroup(root);
        _thread = root;
        _osThreadId = LinuxTasks.CurrentThreadId();
        _started = true;
        _state = FiberState.Running;
    }

    /// <summary>
    /// The fiber whose code is running on the calling thread: inside a fiber's function, that fiber; anywhere else,
    /// the thread's main fiber, created the first time it is asked for (greenlet's <c>getcurrent()</c>).
    /// </summary>
    public static Fiber Current => t_current ??= new Fiber(Thread.CurrentThread);

    /// <summary>How many fiber threads in this process have not exited yet (started fibers that are not dead, and dead ones whose thread is still finishing).</summary>
    public static int LiveThreadCount => Volatile.Read(ref s_liveThreads);

    /// <summary>A number unique in this process, in creation order.</summary>
    public int Id { get; }

    /// <summary>The name shown in views and traces.</summary>
    public string Name { get; }

    /// <summary>True for a thread's main fiber: it is never dead, has no parent and cannot be killed.</summary>
    public bool IsMain { get; }

    /// <summary>Where the fiber is in its life.</summary>
    public FiberState State => _state;

    /// <summary>True once the fiber has been switched to (a main fiber always is).</summary>
    public bool IsStarted => _started;

    /// <summary>True once the fiber's function has returned or thrown, or the fiber was killed (greenlet's <c>dead</c>).</summary>
    public bool IsDead => _state == FiberState.Dead;

    /// <summary>What ended the fiber: the exception its function threw (a <see cref="FiberExit"/> when it was killed), or null when it returned or has not ended.</summary>
    public Exception? EndedBy => _endedBy;

    /// <summary>The managed id of the thread the fiber's code runs on, or null before it starts (and after it never started).</summary>
    public int? ManagedThreadId => _thread?.ManagedThreadId;

    /// <summary>The OS id of the thread the fiber's code runs on, or null until that thread has begun (0 where the OS gives none).</summary>
    public int? OsThreadId => _thread is null ? null : Volatile.Read(ref _osThreadId);

    /// <summary>
    /// The fiber that gets control (and the return value or exception) when this one ends; null only for a main
    /// fiber. It can be changed to another fiber of the same thread, as long as the chain of parents has no cycle.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fiber is a main fiber, the new parent belongs to another thread, or the chain would be cyclic.</exception>
    public Fiber? Parent
    {
        get => _parent;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (IsMain)
            {
                throw new InvalidOperationException("A thread's main fiber has no parent.");
            }

            if (!ReferenceEquals(value._group, _group))
            {
                throw new InvalidOperationException($"Fiber '{value.Name}' belongs to another thread; a parent must belong to the same thread as the fiber '{Name}'.");
            }

            for (var ancestor = value; ancestor is not null; ancestor = ancestor._parent)
            {
                if (ReferenceEquals(ancestor, this))
                {
                    throw new InvalidOperationException($"Making '{value.Name}' the parent of '{Name}' would make a cyclic parent chain.");
                }
            }

            _parent = value;
        }
    }

    private int TraceObjectId => _traceObjectId != 0 ? _traceObjectId : _traceObjectId = TraceRecorder.RegisterObject(Name, "Fiber");

    /// <summary>
    /// Hands control to this fiber and waits until some fiber switches back to the caller; returns the value that
    /// fiber passed (or the return value of a fiber that ended and had the caller as its parent). The first switch
    /// into a fiber starts it with <paramref name="value"/> as its function's argument. A dead fiber passes control
    /// to its first parent that is not dead. Switching to the calling fiber itself returns <paramref name="value"/>.
    /// </summary>
    /// <param name="value">What the other side receives.</param>
    /// <returns>What the fiber that switches back to the caller passes.</returns>
    /// <exception cref="InvalidOperationException">This fiber belongs to another thread.</exception>
    /// <remarks>Any exception raised into the caller while it waits (by <see cref="Throw"/>, or a child fiber that failed) is rethrown here.</remarks>
    public object? Switch(object? value = null) => Transfer(Current, this, value, error: null, fromDies: false, ExecutionContext.Capture());

    /// <summary>
    /// Switches to this fiber and raises <paramref name="exception"/> (by default a new <see cref="FiberExit"/>) at
    /// its suspended <see cref="Switch"/>. A fiber that has not started, or is dead, dies without running and the
    /// exception goes to its parent instead: a <see cref="FiberExit"/> as a value, any other exception raised there.
    /// </summary>
    /// <param name="exception">The exception to raise in the fiber; null for a new <see cref="FiberExit"/>.</param>
    /// <returns>What the fiber that switches back to the caller passes (a <see cref="FiberExit"/> when the fiber died of it and the caller is its parent).</returns>
    public object? Throw(Exception? exception = null) =>
        Transfer(Current, this, value: null, ExceptionDispatchInfo.Capture(exception ?? new FiberExit()), fromDies: false, ExecutionContext.Capture());

    /// <summary>
    /// Ends the fiber and comes back: raises <see cref="FiberExit"/> at its suspended <see cref="Switch"/> with the
    /// caller as its parent for the moment, as greenlet does when it collects a greenlet, so its <c>finally</c>
    /// blocks run and control then returns here. A fiber that has not started just becomes dead; a dead one stays
    /// dead. Called by the fiber itself, it throws <see cref="FiberExit"/> to end the caller.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fiber is a main fiber, or belongs to another thread.</exception>
    /// <remarks>A fiber that catches <see cref="FiberExit"/> and switches somewhere instead of ending is not dead afterwards.</remarks>
    public void Kill()
    {
        if (IsMain)
        {
            throw new InvalidOperationException("A thread's main fiber cannot be killed.");
        }

        if (_state == FiberState.Dead)
        {
            return;
        }

        var current = Current;
        if (!ReferenceEquals(current._group, _group))
        {
            throw new InvalidOperationException(
                $"Fiber '{Name}' can be killed only from its own thread ({ThreadLabel.Of(_group.Root)}), which is still running.");
        }

        if (_state == FiberState.NotStarted)
        {
            EndWithoutRunning(new FiberExit());
            return;
        }

        if (ReferenceEquals(current, this))
        {
            throw new FiberExit();
        }

        var parent = _parent;
        _parent = current;
        try
        {
            Throw(new FiberExit());
        }
        finally
        {
            if (_state != FiberState.Dead)
            {
                _parent = parent;
            }
        }
    }

    /// <summary>
    /// Ends the fiber (see <see cref="Kill"/>) and waits for its thread to exit, so no thread is left behind. Does
    /// nothing for a main fiber. Works from any thread once the fiber's own thread has ended; otherwise call it from
    /// the fiber's thread, as <see cref="Kill"/>.
    /// </summary>
    public void Dispose()
    {
        if (IsMain)
        {
            return;
        }

        if (_state != FiberState.Dead)
        {
            if (!_group.Root.IsAlive || _group.IsOrphaned)
            {
                EndAbandoned(DisposeJoinTimeout);
                return;
            }

            Kill();
        }

        if (_thread is { } thread && !ReferenceEquals(thread, Thread.CurrentThread))
        {
            thread.Join(DisposeJoinTimeout);
        }
    }

    /// <inheritdoc />
    public string ToHtml() => SafeRendering.Html(View, Fallback);

    /// <inheritdoc />
    public string ToText() => SafeRendering.Text(View, Fallback);

    /// <inheritdoc />
    public override string ToString() => $"Fiber '{Name}': {DescribeState()}";

    /// <summary>Called by the reaper (or <see cref="Dispose"/>) once the fiber's thread group can never switch again.</summary>
    internal void EndAbandoned(TimeSpan joinTimeout)
    {
        _group.MarkOrphaned();
        var thread = _thread;
        if (Interlocked.Exchange(ref _abandoned, 1) != 0)
        {
            // The reaper and Dispose may both get here: only one of them raises FiberExit.
        }
        else if (_state == FiberState.Suspended)
        {
            Resume(null, ExceptionDispatchInfo.Capture(new FiberExit($"The thread that owned fiber '{Name}' has ended: nobody can switch to it any more.")), context: null);
        }
        else if (_state == FiberState.NotStarted)
        {
            EndWithoutRunning(new FiberExit());
        }

        if (thread is not null && !IsMain && !ReferenceEquals(thread, Thread.CurrentThread))
        {
            thread.Join(joinTimeout);
        }
    }

    /// <summary>
    /// Moves control from <paramref name="from"/> (the running fiber of its group) to <paramref name="target"/>, then,
    /// unless <paramref name="from"/> is dying, parks it until it is switched to again and returns what it received.
    /// </summary>
    private static object? Transfer(Fiber from, Fiber target, object? value, ExceptionDispatchInfo? error, bool fromDies, ExecutionContext? context)
    {
        ArgumentNullException.ThrowIfNull(target);
        var group = from._group;
        if (!ReferenceEquals(target._group, group))
        {
            throw new InvalidOperationException(
                $"Fiber '{target.Name}' belongs to {ThreadLabel.Of(target._group.Root)}; only fibers of that thread can switch to it (greenlet: a greenlet belongs to the thread that created it).");
        }

        if (group.IsOrphaned && !fromDies)
        {
            throw new FiberExit($"The thread that owned fiber '{from.Name}' has ended: it can no longer switch.");
        }

        // Where control really goes: a dead fiber passes it to its parent, and a fiber that has not started dies at
        // once of an exception thrown into it, which then goes to its parent (a FiberExit as a value).
        while (true)
        {
            while (target._state == FiberState.Dead)
            {
                // A dead fiber dies again of what is thrown into it: a FiberExit quietly, as a value for the parent.
                target = target._parent!;
                if (!fromDies && error?.SourceException is FiberExit quiet)
                {
                    value = quiet;
                    error = null;
                }
            }

            if (ReferenceEquals(target, from))
            {
                error?.Throw();
                return value;
            }

            if (target._state == FiberState.NotStarted && error is not null)
            {
                target.EndWithoutRunning(error.SourceException);
                if (error.SourceException is FiberExit exit)
                {
                    value = exit;
                    error = null;
                }

                continue;
            }

            break;
        }

        // A fiber's thread is started only once its first value is in place, so it never has to wait for it.
        var starting = target._state == FiberState.NotStarted;
        var thread = starting ? target.CreateThread() : null; // may throw: nothing has changed yet

        var waitObject = 0;
        if (!fromDies)
        {
            from._state = FiberState.Suspended;
            if (TraceRecorder.Active is not null)
            {
                waitObject = target.TraceObjectId;
                TraceRecorder.Record(TraceEventKind.WaitBegan, waitObject, WaitKind.Switch);
            }
        }

        target.Resume(value, error, context);
        if (thread is not null)
        {
            try
            {
                target.StartThread(thread);
            }
            catch
            {
                // The OS would not start a thread: undo the hand-off and let the caller see why.
                (target._inValue, target._inError, target._inContext) = (null, null, null);
                target._spot.Cancel();
                target._state = FiberState.NotStarted;
                from._state = FiberState.Running;
                throw;
            }
        }

        if (fromDies)
        {
            return null;
        }

        from._spot.Park();
        var (received, raised, resumedBy) = from.TakeDelivery();
        if (TraceRecorder.Active is not null)
        {
            TraceRecorder.Record(TraceEventKind.WaitEnded, waitObject, WaitKind.Switch, WaitOutcome.Satisfied, relatedThreadId: resumedBy);
        }

        raised?.Throw();
        return received;
    }

    private static Func<object?, object?> Wrap(Func<object?> run) => _ => run();

    private static Func<object?, object?> Wrap(Action run) => _ =>
    {
        run();
        return null;
    };

    private static Func<object?, object?> Wrap(Action<object?> run) => value =>
    {
        run(value);
        return null;
    };

    private static string Clip(string text) =>
        text.Length <= MaxNameLength ? text : string.Concat(text.AsSpan(0, MaxNameLength - 1), "…");

    /// <summary>Hands this (parked or new) fiber the value or exception and wakes its thread.</summary>
    private void Resume(object? value, ExceptionDispatchInfo? error, ExecutionContext? context)
    {
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

    private Thread CreateThread() => new(ThreadMain, _maxStackSize)
    {
        IsBackground = true,
        Name = Clip($"fiber {Name}"),
    };

    private void StartThread(Thread thread)
    {
        _group.AddThread(this);
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
            _group.RemoveThread(this);
            Interlocked.Decrement(ref s_liveThreads);
            throw;
        }

        FiberReaper.Watch(_group);
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
            if (TraceRecorder.Active is not null)
            {
                TraceRecorder.Record(TraceEventKind.ThreadStarted, label: Clip($"fiber {Name}"));
            }

            object? result = null;
            ExceptionDispatchInfo? failure = null;
            try
            {
                result = _run!(value);
            }
            catch (FiberExit exit)
            {
                result = exit;
                _endedBy = exit;
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
                _endedBy = exception;
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

            if (!_group.IsOrphaned)
            {
                Transfer(this, _parent!, result, failure, fromDies: true, lastContext);
            }
        }
        finally
        {
            _group.RemoveThread(this);
            Interlocked.Decrement(ref s_liveThreads);
        }
    }

    private void EndWithoutRunning(Exception cause)
    {
        _endedBy = cause;
        _state = FiberState.Dead;
    }

    private string DescribeState() => _state switch
    {
        FiberState.NotStarted => "not started",
        FiberState.Running => "running",
        FiberState.Suspended => "suspended",
        FiberState.Dead when _endedBy is FiberExit => "dead (exited)",
        FiberState.Dead when _endedBy is { } cause => $"dead ({cause.GetType().Name})",
        _ => "dead",
    };

    private Table View()
    {
        var thread = _thread is { } t ? ThreadLabel.Of(t.ManagedThreadId, t.Name) : "none yet";
        return new Table("fiber", "state", "parent", "thread")
            .AddRow(Name, DescribeState(), _parent is { } p ? p.Name : "none (main)", Clip(thread));
    }

    private string Fallback(Exception exception) => $"Fiber '{Name}' (state unavailable: {exception.GetType().Name})";
}
