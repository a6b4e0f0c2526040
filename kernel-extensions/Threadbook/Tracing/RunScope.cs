using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Threadbook.Tracing;

/// <summary>
/// One run of a piece of code (a notebook cell, or a block of a console program) and every thread it
/// started. Threads are found without any help from the code: the scope lives in an async-local value that
/// flows into every thread the code starts, and the runtime tells Threadbook when such a thread begins and
/// ends. Threads started with <c>UnsafeStart</c> (no flowed context) are not seen.
/// </summary>
public sealed class RunScope
{
    private static readonly AsyncLocal<RunScope?> CurrentScope = new(OnScopeChanged);
    private static readonly ConditionalWeakTable<Thread, RunScope> ScopeByThread = new();
    private static int s_nextNumber;

    private readonly ConcurrentDictionary<Thread, bool> _threads = new();
    private readonly ConcurrentDictionary<Thread, bool> _faulted = new();
    private volatile bool _isComplete;

    private RunScope(string label)
    {
        Label = label;
        Number = Interlocked.Increment(ref s_nextNumber);
    }

    /// <summary>The scope the calling code runs in, or null.</summary>
    public static RunScope? Current => CurrentScope.Value;

    /// <summary>A label for people ("cell 3: var t = new Thread(…").</summary>
    public string Label { get; }

    /// <summary>A number unique in this process, in creation order.</summary>
    public int Number { get; }

    /// <summary>True once <see cref="Complete"/> was called: output from its threads now arrives late.</summary>
    public bool IsComplete => _isComplete;

    /// <summary>Whatever the host wants to keep with the scope (the notebook extension keeps the cell's kernel context).</summary>
    public object? HostState { get; set; }

    /// <summary>Dedicated (non-pool) threads started while this scope was current, in no particular order.</summary>
    public IReadOnlyCollection<Thread> Threads => _threads.Keys.ToArray();

    /// <summary>Threads that ended with an unhandled exception (reported, then parked by the host's safety net, such as Threadbook.Cells.ThreadSafetyNet).</summary>
    public IReadOnlyCollection<Thread> FaultedThreads => _faulted.Keys.ToArray();

    /// <summary>
    /// Starts a scope and makes it current for the calling code and everything it starts. Call it from the
    /// code's own flow (a synchronous call, or before the <c>await</c> that runs the code).
    /// </summary>
    public static RunScope Begin(string label)
    {
        var scope = Create(label);
        CurrentScope.Value = scope;
        return scope;
    }

    /// <summary>Creates a scope without making it current (a host enters it later with <see cref="Enter"/>).</summary>
    public static RunScope Create(string label)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        return new RunScope(label);
    }

    /// <summary>Makes an existing scope current for the calling flow (a host re-entering a cell's scope).</summary>
    public static void Enter(RunScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        CurrentScope.Value = scope;
    }

    /// <summary>The scope <paramref name="thread"/> was started in, or null when it was not started in one.</summary>
    public static RunScope? Of(Thread thread) => ScopeByThread.TryGetValue(thread, out var scope) ? scope : null;

    /// <summary>Marks the scope finished: its code returned. Threads it started may still be running.</summary>
    public void Complete() => _isComplete = true;

    /// <summary>Records that <paramref name="thread"/> died of an unhandled exception, so nobody waits for it.</summary>
    public void MarkFaulted(Thread thread) => _faulted.TryAdd(thread, true);

    /// <summary>
    /// Waits for the foreground threads this scope started (the rule a Python program follows at exit: wait for
    /// the non-daemon threads), up to <paramref name="timeout"/> in total. Background threads are not waited for.
    /// </summary>
    public ThreadWaitResult WaitForThreads(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var finished = new List<Thread>();
        var stillRunning = new List<Thread>();
        var background = new List<Thread>();
        var seen = new HashSet<Thread>();
        var lookedAgain = false;
        while (true)
        {
            // A thread joins the scope when it begins to run, a moment after Start returned, and threads may
            // start more threads while we wait: look again until no new thread turns up.
            var pending = _threads.Keys.Where(seen.Add).OrderBy(t => t.ManagedThreadId).ToList();
            if (pending.Count == 0)
            {
                if (lookedAgain)
                {
                    break;
                }

                lookedAgain = true;
                Thread.Sleep(20);
                continue;
            }

            lookedAgain = false;
            foreach (var thread in pending)
            {
                if (_faulted.ContainsKey(thread))
                {
                    continue;
                }

                if (IsBackgroundSafe(thread))
                {
                    (thread.IsAlive ? background : finished).Add(thread);
                    continue;
                }

                var left = deadline - DateTime.UtcNow;
                var ended = !thread.IsAlive || (left > TimeSpan.Zero && JoinCancellable(thread, left, cancellationToken));
                (ended ? finished : stillRunning).Add(thread);
            }
        }

        // A background thread may have ended while we waited for the others.
        foreach (var thread in background.Where(t => !t.IsAlive).ToList())
        {
            background.Remove(thread);
            finished.Add(thread);
        }

        return new ThreadWaitResult(finished, stillRunning, background, _faulted.Keys.ToArray());
    }

    private static bool JoinCancellable(Thread thread, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!cancellationToken.IsCancellationRequested)
        {
            var slice = TimeSpan.FromMilliseconds(Math.Min(100, Math.Max(0, (deadline - DateTime.UtcNow).TotalMilliseconds)));
            if (thread.Join(slice))
            {
                return true;
            }

            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
        }

        return false;
    }

    private static bool IsBackgroundSafe(Thread thread)
    {
        try
        {
            return thread.IsBackground;
        }
        catch (ThreadStateException)
        {
            return false; // it ended; it will count as finished
        }
    }

    private static void OnScopeChanged(AsyncLocalValueChangedArgs<RunScope?> change)
    {
        // Only context switches made by the runtime (a thread starting or ending with a flowed context) matter.
        if (!change.ThreadContextChanged)
        {
            return;
        }

        var thread = Thread.CurrentThread;
        if (thread.IsThreadPoolThread)
        {
            return;
        }

        if (change.CurrentValue is { } started && change.PreviousValue is null)
        {
            if (started._threads.TryAdd(thread, true))
            {
                ScopeByThread.AddOrUpdate(thread, started);
                TraceRecorder.RecordThreadStarted(thread);
            }
        }
        else if (change.CurrentValue is null && change.PreviousValue is { } ended && ended._threads.ContainsKey(thread))
        {
            TraceRecorder.Record(TraceEventKind.ThreadStopped);
        }
    }
}
