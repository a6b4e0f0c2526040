using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Fibers;

/// <summary>
/// A coroutine a <see cref="Hub"/> runs (gevent's <c>Greenlet</c>, as <c>gevent.spawn</c> returns it): an
/// <c>async</c> function whose every piece between two <c>await</c>s runs on the hub's one thread, taking turns with
/// the other coroutines. Ask it how it ended (<see cref="State"/>, <see cref="Exception"/>), wait for it from outside
/// the hub with <see cref="Join"/>, or <c>await</c> it from another coroutine.
/// </summary>
[DebuggerDisplay("{ToString(),nq}")]
public class Coroutine : IRenderable
{
    private const int MaxNameLength = 40;
    private static int s_lastId;

    private readonly Func<Task> _run;
    private object? _completion; // the TaskCompletionSource behind Task, made when first asked for
    private volatile CoroutineState _state;
    private Task? _task;
    private long _runningTicks;
    private int _slices;
    private int _ended;
    private TraceLane? _lane;
    private string? _name;

    internal Coroutine(Hub hub, Func<Task> run, string? name)
    {
        Hub = hub;
        _run = run;
        Id = Interlocked.Increment(ref s_lastId);
        _name = string.IsNullOrWhiteSpace(name) ? null : Clip(name); // else found from the function when first asked (it costs reflection)
        Context = new CoroutineContext(hub, this);
        _state = CoroutineState.Pending;
    }

    /// <summary>The coroutine whose code is running on the calling thread, or null outside any hub coroutine (gevent's <c>getcurrent()</c>).</summary>
    public static Coroutine? Current => Hub.Current?.RunningCoroutine;

    /// <summary>A number unique in this process, in spawn order.</summary>
    public int Id { get; }

    /// <summary>The name shown in views and traces: the one given to <see cref="Hub.Spawn(Func{Task}, string?)"/>, the function's name, or <c>coroutine-N</c>.</summary>
    public string Name => _name ??= Clip(DelegateName.Of(_run) ?? $"coroutine-{Id}");

    /// <summary>The hub that runs it.</summary>
    public Hub Hub { get; }

    /// <summary>Where it is in its life.</summary>
    public CoroutineState State => _state;

    /// <summary>True once it has ended, in any way (gevent: <c>ready()</c>, <c>dead</c>).</summary>
    public bool IsCompleted => _state >= CoroutineState.Succeeded;

    /// <summary>True when its function completed without an exception (gevent: <c>successful()</c>).</summary>
    public bool IsSuccessful => _state == CoroutineState.Succeeded;

    /// <summary>The exception it ended with (a <see cref="TaskCanceledException"/> when it was cancelled), or null (gevent: <c>exception</c>).</summary>
    public Exception? Exception { get; private set; }

    /// <summary>How many turns it has had on the hub's thread (its start, and one per <c>await</c> that suspended it).</summary>
    public int Turns => Volatile.Read(ref _slices);

    /// <summary>The total time its turns took on the hub's thread: what it cost the hub, not how long it lived.</summary>
    public TimeSpan RunningTime => TimeSpan.FromSeconds(Volatile.Read(ref _runningTicks) / (double)Stopwatch.Frequency);

    /// <summary>Completes when the coroutine ends, the way it ended (its result, exception or cancellation). Await it inside the hub; outside, use <see cref="Join"/>.</summary>
    public Task Task => CompletionTask;

    internal CoroutineContext Context { get; }

    /// <summary>What the coroutine is waiting for since its last turn (traces draw a sleep differently).</summary>
    internal WaitKind SuspendedOn { get; set; } = WaitKind.Switch;

    private protected virtual Task CompletionTask => CompletionSource(static () => new TaskCompletionSource()).Task;

    /// <summary>The task the function returned (null before it started).</summary>
    private protected Task? FunctionTask => _task;

    /// <summary>Internal links of the hub's list of live coroutines (guarded by the hub).</summary>
    internal Coroutine? PreviousLive { get; set; }

    /// <summary>Internal links of the hub's list of live coroutines (guarded by the hub).</summary>
    internal Coroutine? NextLive { get; set; }

    /// <summary>
    /// From outside the hub: runs the hub on the calling thread until this coroutine ends or <paramref name="timeout"/>
    /// passes (gevent's <c>join</c>). Returns true when it ended. Inside a coroutine, <c>await</c> it instead.
    /// </summary>
    public bool Join(TimeSpan? timeout = null) => Hub.JoinAll([this], timeout).Count == 1;

    /// <summary>Lets a coroutine <c>await</c> another coroutine.</summary>
    public TaskAwaiter GetAwaiter() => Task.GetAwaiter();

    /// <inheritdoc />
    public string ToHtml() => SafeRendering.Html(View, Fallback);

    /// <inheritdoc />
    public string ToText() => SafeRendering.Text(View, Fallback);

    /// <inheritdoc />
    public override string ToString() => $"Coroutine '{Name}': {DescribeState()}";

    /// <summary>"suspended", "faulted (InvalidOperationException)": the state in a few words.</summary>
    internal string DescribeState() => _state switch
    {
        CoroutineState.Faulted when Exception is { } e => $"faulted ({e.GetType().Name})",
        var state => state.ToString().ToLowerInvariant(),
    };

    /// <summary>Rethrows the exception it ended with, if any.</summary>
    internal void ThrowIfFailed()
    {
        if (_state is CoroutineState.Faulted or CoroutineState.Canceled && Exception is { } exception)
        {
            ExceptionDispatchInfo.Throw(exception);
        }
    }

    /// <summary>Runs the coroutine's function up to its first suspending <c>await</c> (on the hub's thread).</summary>
    internal void Start()
    {
        Task task;
        try
        {
            task = _run() ?? Task.FromException(new InvalidOperationException($"The function of coroutine '{Name}' returned null instead of a task."));
        }
        catch (Exception exception)
        {
            task = Task.FromException(exception); // a function that is not async threw before returning its task
        }

        _task = task;
        if (task.IsCompleted)
        {
            Hub.Finish(this, task);
        }
        else
        {
            // Captures this coroutine's context: when the task completes in the coroutine's own last piece (the usual
            // case) the callback runs right there, inline; when it completes elsewhere it is posted back to the hub.
            task.GetAwaiter().UnsafeOnCompleted(OnTaskCompleted);
        }
    }

    /// <summary>Records how the coroutine ended; false when it had already ended (it ends once).</summary>
    internal bool End(Task task)
    {
        if (Interlocked.Exchange(ref _ended, 1) != 0)
        {
            return false;
        }

        switch (task.Status)
        {
            case TaskStatus.RanToCompletion:
                _state = CoroutineState.Succeeded;
                break;
            case TaskStatus.Canceled:
                Exception = new TaskCanceledException(task);
                _state = CoroutineState.Canceled;
                break;
            default:
                var exceptions = task.Exception!.InnerExceptions;
                Exception = exceptions.Count == 1 ? exceptions[0] : task.Exception;
                _state = CoroutineState.Faulted;
                break;
        }

        return true;
    }

    /// <summary>Completes <see cref="Task"/>, if anyone has asked for it yet, the way the function's task ended.</summary>
    internal void CompleteTask()
    {
        Interlocked.MemoryBarrier(); // the state was written before: a CompletionSource made now sees it, or this sees the source
        if (Volatile.Read(ref _completion) is not null)
        {
            Complete(_task!);
        }
    }

    /// <summary>The completion source behind <see cref="Task"/>, made on first use (most coroutines are only joined, never awaited).</summary>
    private protected TSource CompletionSource<TSource>(Func<TSource> create)
        where TSource : class
    {
        if (Volatile.Read(ref _completion) is TSource existing)
        {
            return existing;
        }

        Interlocked.CompareExchange(ref _completion, create(), null);
        if (IsCompleted)
        {
            Complete(_task!);
        }

        return (TSource)_completion!;
    }

    /// <summary>Completes the source behind <see cref="Task"/> (it exists) the way the function's task ended; completing twice does nothing.</summary>
    private protected virtual void Complete(Task task)
    {
        var source = (TaskCompletionSource)_completion!;
        switch (task.Status)
        {
            case TaskStatus.RanToCompletion:
                source.TrySetResult();
                break;
            case TaskStatus.Canceled:
                source.TrySetCanceled();
                break;
            default:
                source.TrySetException(task.Exception!.InnerExceptions);
                break;
        }
    }

    /// <summary>A turn begins: the hub's thread runs this coroutine's code until it suspends again.</summary>
    internal void BeginTurn(bool tracing, int hubThreadId)
    {
        if (tracing)
        {
            // Inside the coroutine's lane (the caller entered it): its first turn starts the lane.
            if (_slices == 0)
            {
                TraceRecorder.Record(TraceEventKind.ThreadStarted, label: _lane?.Name);
            }
            else
            {
                TraceRecorder.Record(TraceEventKind.WaitEnded, 0, SuspendedOn, WaitOutcome.Satisfied, relatedThreadId: hubThreadId);
            }
        }

        SuspendedOn = WaitKind.Switch;
        if (_state == CoroutineState.Pending || _state == CoroutineState.Suspended)
        {
            _state = CoroutineState.Running;
        }
    }

    /// <summary>A turn of <paramref name="ticks"/> ends: the coroutine suspended at an <c>await</c>, or ended.</summary>
    internal void EndTurn(bool tracing, long ticks)
    {
        // Only the loop's thread writes these; others read them for views.
        Volatile.Write(ref _runningTicks, _runningTicks + ticks);
        Volatile.Write(ref _slices, _slices + 1);
        if (_state == CoroutineState.Running)
        {
            _state = CoroutineState.Suspended;
        }

        if (tracing)
        {
            if (IsCompleted)
            {
                TraceRecorder.Record(TraceEventKind.ThreadStopped);
            }
            else
            {
                TraceRecorder.Record(TraceEventKind.WaitBegan, 0, SuspendedOn);
            }
        }
    }

    /// <summary>The coroutine's lane on a trace's timeline, made the first time a trace needs it, named after the thread running the hub.</summary>
    internal TraceLane LaneOn(int hubThreadId) => _lane ??= new TraceLane($"coroutine {Name} on thread #{hubThreadId}");

    private static string Clip(string text) =>
        text.Length <= MaxNameLength ? text : string.Concat(text.AsSpan(0, MaxNameLength - 1), "…");

    private void OnTaskCompleted() => Hub.FinishFromAnyThread(this, _task!);

    private Table View() =>
        new Table("coroutine", "state", "turns", "running time", "hub")
            .AddRow(Name, DescribeState(), Turns, $"{RunningTime.TotalMilliseconds:0.###} ms", Hub.Name);

    private string Fallback(Exception exception) => $"Coroutine '{Name}' (state unavailable: {exception.GetType().Name})";
}
