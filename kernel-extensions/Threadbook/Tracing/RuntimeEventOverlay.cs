using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace Threadbook.Tracing;

/// <summary>
/// Fills in what traced primitives cannot see: contention on plain <c>lock</c>/<c>Monitor</c> and waits on wait
/// handles and <c>Monitor.Wait</c> (which <c>ManualResetEventSlim</c> uses), from the runtime's own events,
/// read in-process with an <see cref="EventListener"/>. Events reach the listener with a delay, so
/// <see cref="Flush"/> waits (briefly) until the runtime has delivered what happened before it was called.
/// </summary>
public sealed class RuntimeEventOverlay : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords Contention = (EventKeywords)0x4000;
    private const EventKeywords WaitHandle = (EventKeywords)0x40000000000;

    private const int ContentionStart = 81;
    private const int ContentionStop = 91;
    private const int WaitHandleWaitStart = 301;
    private const int WaitHandleWaitStop = 302;

    private readonly TraceRecorder _recorder;
    private readonly long _baseTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTime _baseUtc = DateTime.UtcNow;
    private readonly ConcurrentDictionary<long, int> _objectIdByLock = new();
    private readonly ConcurrentDictionary<int, int> _contentionObjectByThread = new();
    private long _latestEventTicks;
    private EventSource? _runtime;

    /// <summary>Starts listening and records into <paramref name="recorder"/> until disposed.</summary>
    public RuntimeEventOverlay(TraceRecorder recorder)
    {
        _recorder = recorder ?? throw new ArgumentNullException(nameof(recorder));
        if (_runtime is { } source)
        {
            EnableEvents(source, EventLevel.Informational, Contention | WaitHandle);
        }
    }

    /// <summary>Events received so far.</summary>
    public long EventsSeen { get; private set; }

    /// <summary>
    /// Waits until the runtime has delivered events up to now (or <paramref name="maxWait"/> passed). The runtime
    /// delivers in batches; a later event on any thread shows that earlier ones have arrived.
    /// </summary>
    public void Flush(TimeSpan maxWait)
    {
        var now = DateTime.UtcNow.Ticks;
        var deadline = Stopwatch.GetTimestamp() + (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _latestEventTicks) < now && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(20);
        }
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name != RuntimeProvider)
        {
            return;
        }

        _runtime = eventSource;
        // Called from the base constructor before ours has run: the recorder is not set yet then.
        if (_recorder is not null)
        {
            EnableEvents(eventSource, EventLevel.Informational, Contention | WaitHandle);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        EventsSeen++;
        Interlocked.Exchange(ref _latestEventTicks, e.TimeStamp.ToUniversalTime().Ticks);
        var os = (int)e.OSThreadId;
        var at = ToTimestamp(e.TimeStamp);
        switch (e.EventId)
        {
            case ContentionStart:
                var lockId = Convert.ToInt64(Payload(e, "LockID") ?? 0L);
                var owner = Convert.ToInt64(Payload(e, "LockOwnerThreadID") ?? 0L);
                var objectId = _objectIdByLock.GetOrAdd(lockId, _ => TraceRecorder.RegisterObject($"lock (Monitor) #{_objectIdByLock.Count + 1}", "Monitor"));
                _contentionObjectByThread[os] = objectId;
                _recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitBegan, 0, os, objectId, WaitKind.RuntimeLock, Value: owner));
                break;
            case ContentionStop:
                _contentionObjectByThread.TryRemove(os, out var contended);
                _recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitEnded, 0, os, contended, WaitKind.RuntimeLock, WaitOutcome.Satisfied));
                break;
            case WaitHandleWaitStart:
                var source = Convert.ToInt32(Payload(e, "WaitSource") ?? 0);
                _recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitBegan, 0, os, 0, WaitKind.RuntimeWait,
                    Label: source == 1 ? "Monitor.Wait" : "wait handle"));
                break;
            case WaitHandleWaitStop:
                _recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitEnded, 0, os, 0, WaitKind.RuntimeWait, WaitOutcome.Satisfied));
                break;
        }
    }

    private long ToTimestamp(DateTime time) =>
        _baseTimestamp + (long)((time.ToUniversalTime() - _baseUtc).TotalSeconds * Stopwatch.Frequency);

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 ? e.Payload![index] : null;
    }
}
