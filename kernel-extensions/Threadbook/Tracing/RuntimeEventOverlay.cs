using System.Diagnostics;
using System.Diagnostics.Tracing;
using Threadbook.Introspection;

namespace Threadbook.Tracing;

/// <summary>
/// Fills in what traced primitives cannot see: contention on plain <c>lock</c>/<c>Monitor</c> and waits on wait
/// handles and <c>Monitor.Wait</c> (which <c>ManualResetEventSlim</c> uses), from the runtime's own events,
/// read in-process with an <see cref="EventListener"/>. One listener serves the whole process
/// (<see cref="Shared"/>): the runtime takes a while to start delivering to a new listener, so it is started
/// once and kept; events are recorded only while a recorder is attached. Delivery lags behind the events
/// themselves, so <see cref="Flush"/> waits (briefly) until what happened before it was called has arrived.
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

    private static readonly Lazy<RuntimeEventOverlay> SharedOverlay = new(() => new RuntimeEventOverlay(), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly long _baseTimestamp = Stopwatch.GetTimestamp();
    private readonly DateTime _baseUtc = DateTime.UtcNow;
    private readonly Dictionary<long, int> _objectIdByLock = [];
    private readonly Dictionary<int, int> _contentionObjectByThread = [];
    private volatile TraceRecorder? _recorder;
    private volatile int _handshakeThread;
    private volatile bool _live;
    private long _latestEventTicks;

    private RuntimeEventOverlay()
    {
    }

    /// <summary>The process's overlay, started on first use.</summary>
    public static RuntimeEventOverlay Shared => SharedOverlay.Value;

    /// <summary>True once the runtime has delivered an event to this listener.</summary>
    public bool IsLive => _live;

    /// <summary>
    /// Records runtime events into <paramref name="recorder"/> until <see cref="Detach"/>. The first time, waits
    /// (up to <paramref name="warmUp"/>) until the runtime delivers events, so the start of the code is not missed.
    /// </summary>
    public void Attach(TraceRecorder recorder, TimeSpan warmUp)
    {
        ArgumentNullException.ThrowIfNull(recorder);
        WarmUp(warmUp);
        _recorder = recorder;
    }

    /// <summary>The first time, waits (up to <paramref name="warmUp"/>) until the runtime delivers events to this listener.</summary>
    public void WarmUp(TimeSpan warmUp)
    {
        if (!_live)
        {
            WaitUntilLive(warmUp);
        }
    }

    /// <summary>Stops recording into the attached recorder.</summary>
    public void Detach() => _recorder = null;

    /// <summary>
    /// Waits until the runtime has delivered events up to now (or <paramref name="maxWait"/> passed). The runtime
    /// delivers in batches; a later event on any thread shows that earlier ones have arrived.
    /// </summary>
    public void Flush(TimeSpan maxWait)
    {
        var now = DateTime.UtcNow.Ticks;
        var deadline = Stopwatch.GetTimestamp() + (long)(maxWait.TotalSeconds * Stopwatch.Frequency);
        var probe = new object();
        while (Interlocked.Read(ref _latestEventTicks) < now && Stopwatch.GetTimestamp() < deadline)
        {
            // A short Monitor.Wait is itself a runtime wait event: it makes sure a later event will come.
            lock (probe)
            {
                Monitor.Wait(probe, 10);
            }
        }
    }

    /// <summary>Handshake: wait on a monitor (a runtime wait event) until the listener sees that very wait.</summary>
    private void WaitUntilLive(TimeSpan warmUp)
    {
        _handshakeThread = LinuxTasks.CurrentThreadId();
        var deadline = Stopwatch.GetTimestamp() + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var probe = new object();
        while (!_live && Stopwatch.GetTimestamp() < deadline)
        {
            lock (probe)
            {
                Monitor.Wait(probe, 5);
            }
        }
    }

    /// <inheritdoc />
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Verbose, Contention | WaitHandle);
        }
    }

    /// <inheritdoc />
    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        Interlocked.Exchange(ref _latestEventTicks, e.TimeStamp.ToUniversalTime().Ticks);
        var os = (int)e.OSThreadId;
        if (!_live && (os == _handshakeThread || _handshakeThread == 0))
        {
            _live = true;
        }

        if (_recorder is not { } recorder)
        {
            return;
        }

        var at = ToTimestamp(e.TimeStamp);
        switch (e.EventId)
        {
            case ContentionStart:
                var lockId = Number(Payload(e, "LockID"));
                var owner = Number(Payload(e, "LockOwnerThreadID"));
                int objectId;
                lock (_objectIdByLock)
                {
                    if (!_objectIdByLock.TryGetValue(lockId, out objectId))
                    {
                        objectId = TraceRecorder.RegisterObject($"lock (Monitor) #{_objectIdByLock.Count + 1}", "Monitor");
                        _objectIdByLock[lockId] = objectId;
                    }

                    _contentionObjectByThread[os] = objectId;
                }

                recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitBegan, 0, os, objectId, WaitKind.RuntimeLock, Value: owner));
                break;
            case ContentionStop:
                int contended;
                lock (_objectIdByLock)
                {
                    _contentionObjectByThread.Remove(os, out contended);
                }

                recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitEnded, 0, os, contended, WaitKind.RuntimeLock, WaitOutcome.Satisfied));
                break;
            case WaitHandleWaitStart:
                var source = Number(Payload(e, "WaitSource"));
                recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitBegan, 0, os, 0, WaitKind.RuntimeWait,
                    Label: source == 1 ? "Monitor.Wait" : "wait handle"));
                break;
            case WaitHandleWaitStop:
                recorder.RecordExternal(new TraceEvent(at, TraceEventKind.WaitEnded, 0, os, 0, WaitKind.RuntimeWait, WaitOutcome.Satisfied));
                break;
        }
    }

    private long ToTimestamp(DateTime time) =>
        _baseTimestamp + (long)((time.ToUniversalTime() - _baseUtc).TotalSeconds * Stopwatch.Frequency);

    /// <summary>Payload numbers arrive as various integer types, pointers among them (which Convert cannot handle).</summary>
    private static long Number(object? value) => value switch
    {
        null => 0,
        nint pointer => pointer,
        nuint pointer => (long)pointer,
        ulong big => unchecked((long)big),
        IConvertible convertible => convertible.ToInt64(System.Globalization.CultureInfo.InvariantCulture),
        _ => 0,
    };

    private static object? Payload(EventWrittenEventArgs e, string name)
    {
        var index = e.PayloadNames?.IndexOf(name) ?? -1;
        return index >= 0 ? e.Payload![index] : null;
    }
}
