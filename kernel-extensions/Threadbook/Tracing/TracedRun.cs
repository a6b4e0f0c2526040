
namespace Threadbook.Tracing;

/// <summary>
/// Traces a piece of code from start to finish: records what the traced primitives and the runtime report,
/// finds the threads the code starts (through its <see cref="RunScope"/>), and at the end waits for the
/// foreground ones, as a Python program waits for its non-daemon threads before it exits.
/// <code>
/// using var run = TracedRun.Start("two workers");
/// // … start threads …
/// var result = run.Finish(TimeSpan.FromSeconds(10));
/// File.WriteAllText("timeline.svg", result.Trace.ToSvg());
/// </code>
/// </summary>
public sealed class TracedRun : IDisposable
{
    /// <summary>How long <see cref="Finish"/> waits for runtime events to arrive after the code ended.</summary>
    public static readonly TimeSpan RuntimeEventDelay = TimeSpan.FromMilliseconds(600);

    /// <summary>How long the first run in a process waits for the runtime to start delivering its events.</summary>
    public static readonly TimeSpan RuntimeEventWarmUp = TimeSpan.FromSeconds(2);

    private readonly RuntimeEventOverlay? _overlay;
    private TracedRunResult? _result;

    private TracedRun(RunScope scope, TraceRecorder recorder, RuntimeEventOverlay? overlay)
    {
        Scope = scope;
        Recorder = recorder;
        _overlay = overlay;
    }

    /// <summary>The scope whose threads are waited for.</summary>
    public RunScope Scope { get; }

    /// <summary>The recorder collecting the trace.</summary>
    public TraceRecorder Recorder { get; }

    /// <summary>
    /// Starts tracing. Without a <paramref name="scope"/>, a new one begins for the calling code (call this
    /// from the code's own flow, not from inside an awaited helper). Fails if a trace is already recording.
    /// </summary>
    public static TracedRun Start(string title, RunScope? scope = null, bool runtimeEvents = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        var overlay = runtimeEvents ? RuntimeEventOverlay.Shared : null;
        overlay?.WarmUp(RuntimeEventWarmUp); // before recording starts, so the wait is not part of the picture
        var recorder = TraceRecorder.Start(title);
        try
        {
            overlay?.Attach(recorder, RuntimeEventWarmUp);
            scope ??= RunScope.Begin(title);
            return new TracedRun(scope, recorder, overlay);
        }
        catch
        {
            overlay?.Detach();
            recorder.Stop();
            throw;
        }
    }

    /// <summary>
    /// Ends the run: waits up to <paramref name="waitForThreads"/> for the foreground threads the code started
    /// (<see cref="TimeSpan.Zero"/> to not wait), notes the threads still running, and stops the recording.
    /// Calling it again returns the first result.
    /// </summary>
    public TracedRunResult Finish(TimeSpan waitForThreads, CancellationToken cancellationToken = default)
    {
        if (_result is not null)
        {
            return _result;
        }

        var threads = Scope.WaitForThreads(waitForThreads, cancellationToken);
        foreach (var note in threads.Describe())
        {
            Recorder.AddNote(note);
        }

        // The picture ends when the code and its threads did, not after the wait for late runtime events.
        var end = System.Diagnostics.Stopwatch.GetTimestamp();
        _overlay?.Flush(RuntimeEventDelay);
        _overlay?.Detach();
        _result = new TracedRunResult(Recorder.Stop(end), threads);
        return _result;
    }

    /// <summary>Stops recording without waiting, if <see cref="Finish"/> was not called.</summary>
    public void Dispose()
    {
        if (_result is null)
        {
            _overlay?.Detach();
            Recorder.Stop();
        }
    }
}
