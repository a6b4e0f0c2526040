using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Threadbook.Rendering;

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
/// <para><b>Ending fibers.</b> A fiber whose function returns or throws ends its thread. A suspended fiber that
/// nobody refers to any more is ended as greenlet ends a greenlet that becomes garbage: once the garbage collector has
/// found it, the next <see cref="Current"/>, <see cref="Switch"/>, <see cref="Throw"/> or new fiber on its thread raises
/// <see cref="FiberExit"/> at its suspended <see cref="Switch"/> with the caller as its parent for the moment, so its
/// <c>finally</c> blocks run on its own thread, the thread exits, and control comes back (greenlet does the same at once
/// for its own thread's garbage, through reference counting, and at the next switch for another thread's). Its own
/// thread's stack does not count as a reference, but what that stack holds does: a fiber whose function captured the
/// <see cref="Fiber"/> variable itself, or that is the <see cref="Parent"/> of a live fiber, stays alive (greenlet's
/// documented limit: cycles through a greenlet's frames are not collected). <see cref="Dispose"/> and
/// <see cref="Kill"/> end a fiber at once. Fibers abandoned by a thread that has ended are ended by a reaper within
/// about a second; fiber threads are background threads, so they never keep the process alive; and the main fiber of a
/// thread that has exited reports <see cref="IsDead"/>. See <see cref="LiveThreadCount"/>.</para>
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

    private static readonly TimeSpan DisposeJoinTimeout = TimeSpan.FromSeconds(10);

    private readonly FiberCore _core;

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

    /// <summary>
    /// Creates a fiber whose function is given later through <see cref="Run"/>, before the first switch into it
    /// (greenlet's <c>greenlet()</c> followed by <c>g.run = f</c>). Switching to it while it has none throws.
    /// </summary>
    /// <param name="name">Shown in views and traces; by default <c>fiber-N</c>.</param>
    /// <param name="parent">Who gets control when the fiber ends; by default <see cref="Current"/>.</param>
    /// <param name="maxStackSize">The stack size of the fiber's thread in bytes; 0 for the runtime's default.</param>
    public Fiber(string? name = null, Fiber? parent = null, int maxStackSize = 0)
        : this(null, null, name, parent, maxStackSize)
    {
    }

    private Fiber(Func<object?, object?>? run, string? functionName, string? name, Fiber? parent, int maxStackSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxStackSize);
        _core = new FiberCore(this, run, functionName, name, parent ?? Current, maxStackSize);
    }

    // The main fiber of a thread, or a new face for a fiber whose own was collected (see Rewrap).
    private Fiber(FiberCore? core, Thread? root)
    {
        _core = core ?? new FiberCore(this, root!);
    }

    /// <summary>
    /// Ends this fiber if it was dropped while suspended: hands it to its thread's group, whose running fiber raises
    /// <see cref="FiberExit"/> in it at its next switch (see the remarks on ending fibers).
    /// </summary>
    ~Fiber()
    {
        _core.Dropped(this);
    }

    /// <summary>
    /// Raised when a suspended fiber that was dropped, and so told to exit, ended with an exception other than
    /// <see cref="FiberExit"/> (greenlet hands it to <c>sys.unraisablehook</c>). The exception does not reach the code
    /// that happened to end the fiber. Raised on the thread that owned the fiber.
    /// </summary>
    public static event Action<Fiber, Exception>? DroppedFiberFailed;

    /// <summary>
    /// The fiber whose code is running on the calling thread: inside a fiber's function, that fiber; anywhere else,
    /// the thread's main fiber, created the first time it is asked for (greenlet's <c>getcurrent()</c>). Like
    /// greenlet's, it first ends this thread's dropped suspended fibers, if any.
    /// </summary>
    public static Fiber Current => FiberCore.Current().Self!;

    /// <summary>How many fiber threads in this process have not exited yet (started fibers that are not dead, and dead ones whose thread is still finishing).</summary>
    public static int LiveThreadCount => FiberCore.LiveThreadCount;

    /// <summary>A number unique in this process, in creation order.</summary>
    public int Id => _core.Id;

    /// <summary>The name shown in views and traces.</summary>
    public string Name => _core.Name;

    /// <summary>True for a thread's main fiber: it has no parent, cannot be killed, and is dead only once its thread has exited.</summary>
    public bool IsMain => _core.IsMain;

    /// <summary>Where the fiber is in its life (a main fiber whose thread has exited is <see cref="FiberState.Dead"/>).</summary>
    public FiberState State => _core.State;

    /// <summary>True once the fiber has been switched to (a main fiber always is).</summary>
    public bool IsStarted => _core.IsStarted;

    /// <summary>
    /// True once the fiber's function has returned or thrown, or the fiber was killed, or, for a main fiber, once its
    /// thread has exited (greenlet's <c>dead</c>).
    /// </summary>
    public bool IsDead => State == FiberState.Dead;

    /// <summary>True while the fiber has started and is not dead: running or suspended (greenlet's <c>bool(g)</c>).</summary>
    public bool IsActive => IsStarted && !IsDead;

    /// <summary>
    /// The function the fiber will run, settable until the fiber starts (greenlet's <c>run</c> attribute); null once
    /// it has started (the fiber lets go of it) or ended without starting.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set after the fiber has started, or on a main fiber.</exception>
    public Func<object?, object?>? Run
    {
        get => _core.IsStarted ? null : _core.Run;
        set
        {
            if (_core.IsStarted || _core.State == FiberState.Dead)
            {
                throw new InvalidOperationException($"Run cannot be set after the start of the fiber '{Name}' (greenlet: run cannot be set after the start of the greenlet).");
            }

            _core.Run = value;
        }
    }

    /// <summary>What ended the fiber: the exception its function threw (a <see cref="FiberExit"/> when it was killed), or null when it returned or has not ended.</summary>
    public Exception? EndedBy => _core.EndedBy;

    /// <summary>The managed id of the thread the fiber's code runs on, or null before it starts (and after it never started).</summary>
    public int? ManagedThreadId => _core.Thread?.ManagedThreadId;

    /// <summary>The OS id of the thread the fiber's code runs on, or null until that thread has begun (0 where the OS gives none).</summary>
    public int? OsThreadId => _core.OsThreadId;

    /// <summary>
    /// The fiber that gets control (and the return value or exception) when this one ends; null only for a main
    /// fiber. It can be changed to another fiber of the same thread, as long as the chain of parents has no cycle.
    /// </summary>
    /// <exception cref="InvalidOperationException">The fiber is a main fiber, the new parent belongs to another thread, or the chain would be cyclic.</exception>
    public Fiber? Parent
    {
        get => _core.Parent;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (IsMain)
            {
                throw new InvalidOperationException("A thread's main fiber has no parent.");
            }

            if (!ReferenceEquals(value._core.Group, _core.Group))
            {
                throw new InvalidOperationException($"Fiber '{value.Name}' belongs to another thread; a parent must belong to the same thread as the fiber '{Name}'.");
            }

            for (var ancestor = value; ancestor is not null; ancestor = ancestor._core.Parent)
            {
                if (ReferenceEquals(ancestor, this))
                {
                    throw new InvalidOperationException($"Making '{value.Name}' the parent of '{Name}' would make a cyclic parent chain.");
                }
            }

            _core.Parent = value;
        }
    }

    internal FiberCore Core => _core;

    /// <summary>
    /// Hands control to this fiber and waits until some fiber switches back to the caller; returns the value that
    /// fiber passed (or the return value of a fiber that ended and had the caller as its parent). The first switch
    /// into a fiber starts it with <paramref name="value"/> as its function's argument. A dead fiber passes control
    /// to its first parent that is not dead. Switching to the calling fiber itself returns <paramref name="value"/>.
    /// </summary>
    /// <param name="value">
    /// What the other side receives. Several values travel as one value tuple (<c>Switch((1, "a"))</c>, taken apart
    /// on the other side with <c>var (n, s) = ((int, string))received!</c>), where greenlet's <c>switch(*args)</c>
    /// delivers a tuple; no value is null where greenlet delivers <c>()</c>.
    /// </param>
    /// <returns>What the fiber that switches back to the caller passes.</returns>
    /// <exception cref="InvalidOperationException">This fiber belongs to another thread, or has not started and has no <see cref="Run"/> function.</exception>
    /// <remarks>Any exception raised into the caller while it waits (by <see cref="Throw"/>, or a child fiber that failed) is rethrown here.</remarks>
    public object? Switch(object? value = null) =>
        FiberCore.Transfer(FiberCore.Current(), this, value, error: null, fromDies: false, ExecutionContext.Capture());

    /// <summary>
    /// Switches to this fiber and raises <paramref name="exception"/> (by default a new <see cref="FiberExit"/>) at
    /// its suspended <see cref="Switch"/>. A fiber that has not started, or is dead, dies without running and the
    /// exception goes to its parent instead: a <see cref="FiberExit"/> as a value, any other exception raised there.
    /// </summary>
    /// <param name="exception">The exception to raise in the fiber; null for a new <see cref="FiberExit"/>.</param>
    /// <returns>What the fiber that switches back to the caller passes (a <see cref="FiberExit"/> when the fiber died of it and the caller is its parent).</returns>
    /// <exception cref="InvalidOperationException">This fiber belongs to another thread, or has not started and has no <see cref="Run"/> function.</exception>
    public object? Throw(Exception? exception = null) =>
        FiberCore.Transfer(FiberCore.Current(), this, value: null, ExceptionDispatchInfo.Capture(exception ?? new FiberExit()), fromDies: false, ExecutionContext.Capture());

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

        if (_core.State == FiberState.Dead)
        {
            return;
        }

        var current = FiberCore.Current();
        if (!ReferenceEquals(current.Group, _core.Group))
        {
            throw new InvalidOperationException(
                $"Fiber '{Name}' can be killed only from its own thread ({ThreadLabel.Of(_core.Group.Root)}), which is still running.");
        }

        if (_core.State == FiberState.NotStarted)
        {
            _core.EndWithoutRunning(new FiberExit());
            return;
        }

        if (ReferenceEquals(current, _core))
        {
            throw new FiberExit();
        }

        _core.KillFrom(current, this);
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

        GC.SuppressFinalize(this);
        if (_core.State != FiberState.Dead)
        {
            if (!_core.Group.Root.IsAlive || _core.Group.IsOrphaned)
            {
                _core.EndAbandoned(DisposeJoinTimeout, this);
                return;
            }

            try
            {
                Kill();
            }
            catch
            {
                GC.ReRegisterForFinalize(this);
                throw;
            }
        }

        if (_core.Thread is { } thread && !ReferenceEquals(thread, Thread.CurrentThread))
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

    /// <summary>Makes the main fiber of <paramref name="root"/>, the calling thread.</summary>
    internal static Fiber CreateMain(Thread root) => new(null, root);

    /// <summary>A new user-facing object for a fiber whose own was collected (the reaper ends it as itself).</summary>
    internal static Fiber Rewrap(FiberCore core)
    {
        var face = new Fiber(core, null);
        GC.SuppressFinalize(face);
        return face;
    }

    internal static void ReportDroppedFiberFailure(Fiber fiber, Exception failure) => DroppedFiberFailed?.Invoke(fiber, failure);

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

    private string DescribeState() => State switch
    {
        FiberState.NotStarted => "not started",
        FiberState.Running => "running",
        FiberState.Suspended => "suspended",
        FiberState.Dead when _core.ThreadExited => "dead (thread exited)",
        FiberState.Dead when EndedBy is FiberExit => "dead (exited)",
        FiberState.Dead when EndedBy is { } cause => $"dead ({cause.GetType().Name})",
        _ => "dead",
    };

    private Table View()
    {
        var thread = _core.Thread is { } t ? ThreadLabel.Of(t.ManagedThreadId, t.Name) : "none yet";
        return new Table("fiber", "state", "parent", "thread")
            .AddRow(Name, DescribeState(), Parent is { } p ? p.Name : "none (main)", FiberCore.Clip(thread));
    }

    private string Fallback(Exception exception) => $"Fiber '{Name}' (state unavailable: {exception.GetType().Name})";
}
