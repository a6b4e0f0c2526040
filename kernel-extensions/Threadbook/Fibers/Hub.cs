using System.Diagnostics;
using System.Net;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Fibers;

/// <summary>
/// A single-threaded cooperative scheduler with gevent's shape: <see cref="Spawn(Func{Task}, string?)"/> coroutines,
/// let them give way with <c>await Hub.Sleep(0)</c> or wait with <c>await Hub.Sleep(t)</c>, and wait for them with
/// <see cref="JoinAll"/> — which runs the hub's loop on the calling thread, so every coroutine runs there, one piece
/// at a time.
/// <code>
/// var hub = new Hub();
/// async Task Foo() { Console.WriteLine("Running in foo"); await Hub.Sleep(0); Console.WriteLine("Explicit context switch to foo again"); }
/// async Task Bar() { Console.WriteLine("Explicit context to bar"); await Hub.Sleep(0); Console.WriteLine("Implicit context switch back to bar"); }
/// hub.JoinAll([hub.Spawn(Foo), hub.Spawn(Bar)]);
/// </code>
/// </summary>
/// <remarks>
/// <para><b>Stackless, on purpose.</b> A hub's coroutines are C#'s own <c>async</c> methods: each <c>await</c> that
/// has to wait returns to the hub's loop, and the rest of the method is queued back to the hub's thread (every
/// coroutine runs under a <see cref="SynchronizationContext"/> that posts to the hub). A coroutine costs an object or
/// two, not a thread, so a hub runs a hundred thousand of them at once; <see cref="Fiber"/> needs a thread per fiber.
/// The price: a coroutine can give way only at an <c>await</c>, in an <c>async</c> method.</para>
/// <para><b>What cooperates.</b> <see cref="Sleep(TimeSpan)"/> (the hub's own timers, woken in deadline order),
/// <c>Task.Yield()</c>, and every awaited .NET operation that completes later — sockets, streams, <c>Task.Delay</c>,
/// other coroutines — because its continuation is posted back to the hub. What does not: blocking calls
/// (<c>Thread.Sleep</c>, <c>.Result</c>, synchronous socket calls) stop the whole hub, and
/// <c>ConfigureAwait(false)</c> leaves the hub's thread. CPU-bound work never gives way, so coroutines do not make it
/// faster; <c>await Task.Run(...)</c> moves it to the thread pool.</para>
/// <para>A coroutine that throws is reported on <see cref="Console.Error"/> (as gevent prints the traceback, unless
/// <see cref="ReportFailures"/> is off) and keeps its exception in <see cref="Coroutine.Exception"/>; the others go
/// on. When a trace is recording, every coroutine gets a lane of its own on the timeline, running during its turns,
/// and the thread running the loop waits while a coroutine has the turn.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public sealed class Hub : IRenderable
{
    private const int MaxListed = 6;
    private const int MaxNameLength = 40;
    private static int s_lastId;

    [ThreadStatic]
    private static Hub? t_current;

    private readonly Queue<HubWorkItem> _ready = new();                                        // loop thread only
    private readonly PriorityQueue<HubWorkItem, (long Due, long Order)> _timers = new();        // loop thread only
    private readonly Queue<HubWorkItem> _incoming = new();                                      // any thread, under _incomingGate
    private readonly object _incomingGate = new();
    private Coroutine? _firstLive;                                                              // under _liveGate: live coroutines, linked in spawn order
    private Coroutine? _lastLive;
    private int _liveCount;
    private readonly object _liveGate = new();
    private readonly CoroutineContext _hubContext;
    private volatile int _incomingCount;
    private volatile int _loopThreadId;
    private bool _idle;
    private long _timerOrder;
    private int _lastThreadId;
    private int _succeeded;
    private int _faulted;
    private int _canceled;

    /// <summary>Creates a hub; it runs nothing until a thread calls <see cref="JoinAll"/>, <see cref="Run"/> or <see cref="RunUntilComplete(Func{Task}, TimeSpan?)"/>.</summary>
    /// <param name="name">Shown in views and traces (default <c>hub-N</c>).</param>
    public Hub(string? name = null)
    {
        var id = Interlocked.Increment(ref s_lastId);
        Name = Clip(string.IsNullOrWhiteSpace(name) ? $"hub-{id}" : name);
        _hubContext = new CoroutineContext(this, owner: null);
    }

    /// <summary>The hub whose loop is running on the calling thread, or null.</summary>
    public static Hub? Current => t_current;

    /// <summary>The name shown in views and traces.</summary>
    public string Name { get; }

    /// <summary>Whether a coroutine that ends with an exception is reported on <see cref="Console.Error"/> (default true, as gevent prints it).</summary>
    public bool ReportFailures { get; set; } = true;

    /// <summary>The managed id of the thread running the loop now, or of the last one that ran it; 0 before it first ran.</summary>
    public int ThreadId => _loopThreadId is var running and not 0 ? running : Volatile.Read(ref _lastThreadId);

    /// <summary>True while the calling thread is running this hub's loop.</summary>
    public bool IsLoopThread => _loopThreadId == Environment.CurrentManagedThreadId;

    /// <summary>The coroutines that have not ended yet (pending, running or suspended), in spawn order.</summary>
    public IReadOnlyList<Coroutine> Coroutines
    {
        get
        {
            lock (_liveGate)
            {
                return LiveSnapshot(int.MaxValue);
            }
        }
    }

    /// <summary>How many coroutines have ended (succeeded, faulted or cancelled).</summary>
    public int FinishedCount
    {
        get
        {
            lock (_liveGate)
            {
                return _succeeded + _faulted + _canceled;
            }
        }
    }

    internal Coroutine? RunningCoroutine { get; private set; }

    /// <summary>
    /// Suspends the calling coroutine for <paramref name="delay"/> while the others run (gevent's <c>sleep</c>, but in
    /// milliseconds-or-TimeSpan, not seconds). <c>Sleep(TimeSpan.Zero)</c> just gives way: the coroutine continues
    /// after every coroutine that was ready has had a turn. Sleeps end in the order of their deadlines.
    /// </summary>
    /// <returns>Something to <c>await</c>.</returns>
    /// <exception cref="InvalidOperationException">Not called from a coroutine that a hub runs.</exception>
    public static HubSleep Sleep(TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        var hub = t_current;
        if (hub is null || !hub.IsLoopThread || hub.RunningCoroutine is not { } coroutine)
        {
            throw new InvalidOperationException(
                "Hub.Sleep is awaited inside a coroutine that a hub runs (hub.Spawn(...)). Outside a hub use Thread.Sleep or await Task.Delay; after ConfigureAwait(false) the code has left the hub's thread.");
        }

        var due = delay == TimeSpan.Zero ? 0 : Stopwatch.GetTimestamp() + Math.Max(1, (long)(delay.TotalSeconds * Stopwatch.Frequency));
        return new HubSleep(hub, coroutine, due);
    }

    /// <summary>Suspends the calling coroutine for <paramref name="millisecondsDelay"/> ms; <c>Sleep(0)</c> gives way to the others (gevent's <c>sleep(0)</c>).</summary>
    /// <returns>Something to <c>await</c>.</returns>
    /// <exception cref="InvalidOperationException">Not called from a coroutine that a hub runs.</exception>
    public static HubSleep Sleep(int millisecondsDelay)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(millisecondsDelay);
        return Sleep(TimeSpan.FromMilliseconds(millisecondsDelay));
    }

    /// <summary>
    /// Creates a coroutine running <paramref name="run"/> and queues its start (gevent's <c>spawn</c>): it begins on the
    /// hub's next turn, after the coroutines already queued. Any thread may spawn.
    /// </summary>
    /// <param name="run">An <c>async</c> function.</param>
    /// <param name="name">Shown in views and traces; by default the function's name, or <c>coroutine-N</c>.</param>
    public Coroutine Spawn(Func<Task> run, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Register(new Coroutine(this, run, name));
    }

    /// <summary>Creates a coroutine running <paramref name="run"/>, whose result is read from <see cref="Coroutine{T}.Result"/>, and queues its start.</summary>
    /// <typeparam name="T">What the function returns.</typeparam>
    /// <param name="run">An <c>async</c> function.</param>
    /// <param name="name">Shown in views and traces; by default the function's name, or <c>coroutine-N</c>.</param>
    public Coroutine<T> Spawn<T>(Func<Task<T>> run, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        return Register(new Coroutine<T>(this, run, name));
    }

    /// <summary>
    /// Runs the hub on the calling thread until every coroutine in <paramref name="coroutines"/> has ended, or until
    /// <paramref name="timeout"/> has passed (null: no limit) — gevent's <c>joinall</c>. Other coroutines of the hub run
    /// too while it waits. Exceptions in the coroutines are not thrown here: look at their <see cref="Coroutine.Exception"/>.
    /// </summary>
    /// <returns>The coroutines that have ended, in the order given (all of them unless the timeout passed).</returns>
    /// <exception cref="InvalidOperationException">Called from inside one of the hub's coroutines (await <see cref="JoinAllAsync"/> there), or while another thread runs the hub.</exception>
    public IReadOnlyList<Coroutine> JoinAll(IEnumerable<Coroutine> coroutines, TimeSpan? timeout = null)
    {
        var list = Own(coroutines);
        var next = 0;
        RunLoop(() =>
        {
            while (next < list.Length && list[next].IsCompleted)
            {
                next++;
            }

            return next == list.Length;
        }, timeout);
        return list.Where(c => c.IsCompleted).ToArray();
    }

    /// <summary>
    /// Inside a coroutine: waits (without holding up the others) until every coroutine in <paramref name="coroutines"/>
    /// has ended or <paramref name="timeout"/> has passed.
    /// </summary>
    /// <returns>The coroutines that have ended, in the order given.</returns>
    public async Task<IReadOnlyList<Coroutine>> JoinAllAsync(IEnumerable<Coroutine> coroutines, TimeSpan? timeout = null)
    {
        var list = Own(coroutines);
        var all = Task.WhenAll(list.Select(c => c.Task));
        if (timeout is { } limit && limit != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero);
            await Task.WhenAny(all, Task.Delay(limit));
        }
        else
        {
            await all.ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        }

        return list.Where(c => c.IsCompleted).ToArray();
    }

    /// <summary>Runs the hub on the calling thread until no coroutine is left (gevent's <c>wait()</c>) or <paramref name="timeout"/> passes.</summary>
    /// <returns>True when every coroutine has ended.</returns>
    public bool Run(TimeSpan? timeout = null) => RunLoop(() => LiveCount == 0, timeout);

    /// <summary>Spawns <paramref name="main"/> and runs the hub on the calling thread until it ends; rethrows its exception.</summary>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first.</exception>
    public void RunUntilComplete(Func<Task> main, TimeSpan? timeout = null)
    {
        var coroutine = Spawn(main);
        if (!RunLoop(() => coroutine.IsCompleted, timeout))
        {
            throw new TimeoutException($"Coroutine '{coroutine.Name}' did not end within {timeout}.");
        }

        coroutine.ThrowIfFailed();
    }

    /// <summary>Spawns <paramref name="main"/>, runs the hub on the calling thread until it ends, and returns its result (or rethrows its exception).</summary>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first.</exception>
    public T RunUntilComplete<T>(Func<Task<T>> main, TimeSpan? timeout = null)
    {
        var coroutine = Spawn(main);
        if (!RunLoop(() => coroutine.IsCompleted, timeout))
        {
            throw new TimeoutException($"Coroutine '{coroutine.Name}' did not end within {timeout}.");
        }

        return coroutine.Result;
    }

    /// <inheritdoc />
    public string ToHtml() => SafeRendering.Html(View, Fallback);

    /// <inheritdoc />
    public string ToText() => SafeRendering.Text(View, Fallback);

    /// <inheritdoc />
    public override string ToString() => $"Hub '{Name}': {Summary()}";

    /// <summary>Queues work for the loop: straight onto the ready queue from the loop's own thread, otherwise through the incoming queue (waking an idle loop).</summary>
    internal void Post(in HubWorkItem item)
    {
        if (IsLoopThread)
        {
            _ready.Enqueue(item);
            return;
        }

        lock (_incomingGate)
        {
            _incoming.Enqueue(item);
            _incomingCount = _incoming.Count;
            if (_idle)
            {
                Monitor.Pulse(_incomingGate);
            }
        }
    }

    /// <summary>Continues <paramref name="owner"/> at <paramref name="due"/> (Stopwatch ticks; 0: after the ready coroutines).</summary>
    internal void ScheduleWake(Coroutine owner, long due, Action continuation)
    {
        if (!IsLoopThread)
        {
            // Awaited away from the loop (unusual): register the timer on the loop's next turn.
            Post(new HubWorkItem(owner, () => ScheduleWake(owner, due, continuation)));
            return;
        }

        owner.SuspendedOn = due == 0 ? WaitKind.Switch : WaitKind.Sleep;
        var item = new HubWorkItem(owner, continuation);
        if (due == 0)
        {
            _ready.Enqueue(item);
        }
        else
        {
            _timers.Enqueue(item, (due, _timerOrder++));
        }
    }

    /// <summary>The coroutine's function ended (on the loop's thread): record it, report a failure, complete its task.</summary>
    internal void Finish(Coroutine coroutine, Task task)
    {
        if (!coroutine.End(task))
        {
            return;
        }

        lock (_liveGate)
        {
            Unlink(coroutine);
            switch (coroutine.State)
            {
                case CoroutineState.Succeeded: _succeeded++; break;
                case CoroutineState.Faulted: _faulted++; break;
                default: _canceled++; break;
            }
        }

        if (coroutine.State == CoroutineState.Faulted && ReportFailures)
        {
            Console.Error.WriteLine($"Coroutine '{coroutine.Name}' failed: {coroutine.Exception!.GetType().Name}: {coroutine.Exception.Message}");
        }

        coroutine.CompleteTask();
    }

    /// <summary>Finishes <paramref name="coroutine"/> now on the loop's thread, or on its next turn from anywhere else (code that left the hub with ConfigureAwait(false)).</summary>
    internal void FinishFromAnyThread(Coroutine coroutine, Task task)
    {
        if (IsLoopThread)
        {
            Finish(coroutine, task);
        }
        else
        {
            Post(new HubWorkItem(coroutine, () => Finish(coroutine, task)));
        }
    }

    private static string Clip(string text) =>
        text.Length <= MaxNameLength ? text : string.Concat(text.AsSpan(0, MaxNameLength - 1), "…");

    private int LiveCount
    {
        get
        {
            lock (_liveGate)
            {
                return _liveCount;
            }
        }
    }

    private T Register<T>(T coroutine)
        where T : Coroutine
    {
        lock (_liveGate)
        {
            coroutine.PreviousLive = _lastLive;
            if (_lastLive is null)
            {
                _firstLive = coroutine;
            }
            else
            {
                _lastLive.NextLive = coroutine;
            }

            _lastLive = coroutine;
            _liveCount++;
        }

        Post(new HubWorkItem(coroutine));
        return coroutine;
    }

    private void Unlink(Coroutine coroutine)
    {
        if (coroutine.PreviousLive is { } previous)
        {
            previous.NextLive = coroutine.NextLive;
        }
        else
        {
            _firstLive = coroutine.NextLive;
        }

        if (coroutine.NextLive is { } next)
        {
            next.PreviousLive = coroutine.PreviousLive;
        }
        else
        {
            _lastLive = coroutine.PreviousLive;
        }

        coroutine.PreviousLive = coroutine.NextLive = null;
        _liveCount--;
    }

    /// <summary>The first <paramref name="max"/> live coroutines in spawn order; the caller holds <c>_liveGate</c>.</summary>
    private Coroutine[] LiveSnapshot(int max)
    {
        var list = new List<Coroutine>(Math.Min(max, _liveCount));
        for (var c = _firstLive; c is not null && list.Count < max; c = c.NextLive)
        {
            list.Add(c);
        }

        return [.. list];
    }

    private Coroutine[] Own(IEnumerable<Coroutine> coroutines)
    {
        ArgumentNullException.ThrowIfNull(coroutines);
        var list = coroutines.ToArray();
        foreach (var coroutine in list)
        {
            ArgumentNullException.ThrowIfNull(coroutine, nameof(coroutines));
            if (!ReferenceEquals(coroutine.Hub, this))
            {
                throw new ArgumentException($"Coroutine '{coroutine.Name}' belongs to hub '{coroutine.Hub.Name}', not to '{Name}'.", nameof(coroutines));
            }
        }

        return list;
    }

    /// <summary>The loop: runs turns on the calling thread until <paramref name="done"/> or the timeout.</summary>
    private bool RunLoop(Func<bool> done, TimeSpan? timeout)
    {
        var deadline = DeadlineOf(timeout);
        var me = Environment.CurrentManagedThreadId;
        var owner = Interlocked.CompareExchange(ref _loopThreadId, me, 0);
        if (owner == me)
        {
            throw new InvalidOperationException(
                $"Hub '{Name}' is already running on this thread: a coroutine cannot block on its own hub. Inside a coroutine, await hub.JoinAllAsync(...) or await the coroutine.");
        }

        if (owner != 0)
        {
            throw new InvalidOperationException(
                $"Hub '{Name}' is being run by thread #{owner}; run a hub from one thread at a time (join from that thread, or await coroutine.Task).");
        }

        Volatile.Write(ref _lastThreadId, me);
        var previousContext = SynchronizationContext.Current;
        var previousHub = t_current;
        t_current = this;
        try
        {
            while (true)
            {
                if (done())
                {
                    return true;
                }

                var worked = RunTurn();
                if (done())
                {
                    return true;
                }

                if (Stopwatch.GetTimestamp() >= deadline)
                {
                    return false;
                }

                if (!worked)
                {
                    WaitForWork(deadline);
                }
            }
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previousContext);
            t_current = previousHub;
            RunningCoroutine = null;
            _loopThreadId = 0;
        }
    }

    /// <summary>
    /// One turn of the loop: takes what other threads posted and the timers that are due, then runs everything that
    /// was ready when the turn began (what those pieces queue runs next turn, so a <c>Sleep(0)</c> lets all others go first).
    /// </summary>
    private bool RunTurn()
    {
        if (_incomingCount != 0)
        {
            lock (_incomingGate)
            {
                while (_incoming.TryDequeue(out var item))
                {
                    _ready.Enqueue(item);
                }

                _incomingCount = 0;
            }
        }

        if (_timers.Count > 0)
        {
            var now = Stopwatch.GetTimestamp();
            while (_timers.TryPeek(out _, out var key) && key.Due <= now)
            {
                _ready.Enqueue(_timers.Dequeue());
            }
        }

        var count = _ready.Count;
        if (count == 0)
        {
            return false;
        }

        // One clock reading per piece: a piece's end is the next one's start.
        var clock = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            RunPiece(_ready.Dequeue(), ref clock);
        }

        return true;
    }

    private void RunPiece(HubWorkItem item, ref long clock)
    {
        var coroutine = item.Owner;
        SynchronizationContext.SetSynchronizationContext(coroutine?.Context ?? _hubContext);
        RunningCoroutine = coroutine;
        var tracing = coroutine is not null && TraceRecorder.Active is not null;
        var lane = default(TraceRecorder.LaneScope);
        var laneId = 0;
        if (tracing)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, 0, WaitKind.Switch);
            var coroutineLane = coroutine!.LaneOn(_loopThreadId);
            laneId = coroutineLane.Id;
            lane = TraceRecorder.EnterLane(coroutineLane);
        }

        coroutine?.BeginTurn(tracing, _loopThreadId);
        try
        {
            item.Invoke();
        }
        catch (Exception exception)
        {
            // A posted callback that threw (an async void method, say): report it like gevent and go on.
            Console.Error.WriteLine($"Hub '{Name}': a callback{(coroutine is null ? "" : $" of coroutine '{coroutine.Name}'")} threw {exception.GetType().Name}: {exception.Message}");
        }
        finally
        {
            var now = Stopwatch.GetTimestamp();
            coroutine?.EndTurn(tracing, now - clock);
            clock = now;
            if (tracing)
            {
                lane.Dispose();
                TraceRecorder.Record(TraceEventKind.WaitEnded, 0, WaitKind.Switch, WaitOutcome.Satisfied, relatedThreadId: laneId);
            }

            RunningCoroutine = null;
        }
    }

    private void WaitForWork(long deadline)
    {
        var until = deadline;
        if (_timers.TryPeek(out _, out var next))
        {
            until = Math.Min(until, next.Due);
        }

        var now = Stopwatch.GetTimestamp();
        if (until <= now)
        {
            return;
        }

        var milliseconds = until == long.MaxValue
            ? Timeout.Infinite
            : (int)Math.Min(int.MaxValue, Math.Ceiling((until - now) * 1000.0 / Stopwatch.Frequency));
        lock (_incomingGate)
        {
            if (_incoming.Count > 0)
            {
                return;
            }

            // Idle: nothing is ready, so the hub's thread sleeps until a timer is due or another thread posts work
            // (an I/O completion, say). A trace shows it as sleeping.
            var tracing = TraceRecorder.Active is not null;
            if (tracing)
            {
                TraceRecorder.Record(TraceEventKind.WaitBegan, 0, WaitKind.Sleep);
            }

            _idle = true;
            try
            {
                Monitor.Wait(_incomingGate, milliseconds);
            }
            finally
            {
                _idle = false;
                if (tracing)
                {
                    TraceRecorder.Record(TraceEventKind.WaitEnded, 0, WaitKind.Sleep, WaitOutcome.Satisfied);
                }
            }
        }
    }

    private static long DeadlineOf(TimeSpan? timeout)
    {
        if (timeout is not { } limit || limit == Timeout.InfiniteTimeSpan)
        {
            return long.MaxValue;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(limit, TimeSpan.Zero, nameof(timeout));
        return Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
    }

    private string Summary()
    {
        var counts = new int[3];
        int live, succeeded, faulted, canceled;
        lock (_liveGate)
        {
            live = _liveCount;
            (succeeded, faulted, canceled) = (_succeeded, _faulted, _canceled);
            for (var c = _firstLive; c is not null; c = c.NextLive)
            {
                counts[Math.Min((int)c.State, 2)]++;
            }
        }

        var byState = counts.Select((count, state) => (count, state)).Where(x => x.count > 0)
            .Select(x => $"{x.count} {((CoroutineState)x.state).ToString().ToLowerInvariant()}");
        var states = live == 0 ? "" : $" ({string.Join(", ", byState)})";
        var thread = ThreadId == 0 ? "not run yet" : $"{(_loopThreadId != 0 ? "running" : "last ran")} on thread #{ThreadId}";
        return $"{live} live{states}; ended: {succeeded} succeeded, {faulted} faulted, {canceled} canceled; {thread}";
    }

    private Table View()
    {
        Coroutine[] listed;
        int liveCount;
        lock (_liveGate)
        {
            liveCount = _liveCount;
            listed = LiveSnapshot(MaxListed);
        }

        var table = new Table("coroutine", "state", "turns", "running time") { Caption = $"hub '{Name}': {Summary()}" };
        foreach (var coroutine in listed)
        {
            table.AddRow(coroutine.Name, coroutine.DescribeState(), coroutine.Turns, $"{coroutine.RunningTime.TotalMilliseconds:0.###} ms");
        }

        if (listed.Length == 0)
        {
            table.AddRow("(none live)", "", "", "");
        }

        if (liveCount > listed.Length)
        {
            table.AddRow($"… and {liveCount - listed.Length} more", "", "", "");
        }

        return table;
    }

    private string Fallback(Exception exception) => $"Hub '{Name}' (state unavailable: {exception.GetType().Name})";
}
