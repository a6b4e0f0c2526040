using System.Collections.Concurrent;
using System.Diagnostics;
using Threadbook.Introspection;

namespace Threadbook.Tracing;

/// <summary>
/// Records a <see cref="Trace"/>. At most one recorder is active in a process at a time; while it is, the
/// traced primitives and <see cref="Mark"/>/<see cref="Span"/> record into it from any thread. Each thread
/// appends to its own buffer, so recording takes no lock on the hot path; with no active recorder a
/// record call is one static read.
/// </summary>
public sealed class TraceRecorder : IDisposable
{
    /// <summary>Events one thread may record in one session before further events are counted as dropped.</summary>
    public const int MaxEventsPerThread = 1_000_000;

    private static readonly ConcurrentDictionary<int, TraceObject> ObjectsById = new();
    private static int s_nextObjectId;
    private static volatile TraceRecorder? s_active;

    [ThreadStatic]
    private static ThreadBuffer? t_buffer;

    [ThreadStatic]
    private static TraceLane? t_lane;

    private readonly object _gate = new();
    private readonly List<ThreadBuffer> _buffers = [];
    private readonly List<TraceEvent> _external = [];
    private readonly List<string> _notes = [];
    private readonly long _startTimestamp;
    private Trace? _result;

    private TraceRecorder(string title)
    {
        Title = title;
        _startTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>The recorder that is recording now, or null.</summary>
    public static TraceRecorder? Active => s_active;

    /// <summary>What is being traced.</summary>
    public string Title { get; }

    /// <summary>True until <see cref="Stop()"/>.</summary>
    public bool IsRecording => ReferenceEquals(s_active, this);

    /// <summary>Starts recording. Fails if another recorder is active: stop it first.</summary>
    public static TraceRecorder Start(string title = "trace")
    {
        var recorder = new TraceRecorder(title);
        if (Interlocked.CompareExchange(ref s_active, recorder, null) is { } other)
        {
            throw new InvalidOperationException($"A trace (\"{other.Title}\") is already being recorded; stop it before starting another.");
        }

        return recorder;
    }

    /// <summary>Stops recording and returns the trace. Calling it again returns the same trace.</summary>
    public Trace Stop() => Stop(Stopwatch.GetTimestamp());

    /// <summary>
    /// Stops recording and returns the trace, drawn up to <paramref name="endTimestamp"/>: runtime events from
    /// after it (such as the waits of the flush itself) are left out.
    /// </summary>
    public Trace Stop(long endTimestamp)
    {
        lock (_gate)
        {
            if (_result is not null)
            {
                return _result;
            }

            Interlocked.CompareExchange(ref s_active, null, this);
            var end = endTimestamp;
            var events = new List<TraceEvent>();
            var threads = new List<TraceThread>();
            long dropped = 0;
            foreach (var buffer in _buffers)
            {
                threads.Add(buffer.Thread);
                buffer.CopyTo(events);
                dropped += buffer.Dropped;
            }

            // Runtime timestamps are converted from another clock and may land a little after the end: a wait that
            // ended "just after" the end ended at it. Waits that began after the end (the flush's own) are left out.
            var slack = Stopwatch.Frequency / 20;
            events.AddRange(RuntimeEventMerge.Merge(_external, events, threads)
                .Where(e => e.Timestamp <= end || (e.Kind == TraceEventKind.WaitEnded && e.Timestamp <= end + slack))
                .Select(e => e.Timestamp <= end ? e : e with { Timestamp = end }));

            foreach (var started in events.Where(e => e.Kind == TraceEventKind.ThreadStarted && e.Label is not null))
            {
                var index = threads.FindIndex(t => t.ThreadId == started.ThreadId);
                if (index >= 0)
                {
                    threads[index] = threads[index] with { Name = started.Label! };
                }
            }

            if (dropped > 0)
            {
                _notes.Add($"{dropped} events were not recorded: a thread recorded more than {MaxEventsPerThread:N0}.");
            }

            var objects = events.Where(e => e.ObjectId != 0).Select(e => e.ObjectId).Distinct()
                .Select(id => ObjectsById.TryGetValue(id, out var o) ? o : new TraceObject(id, $"object #{id}", "object"));
            _result = new Trace(Title, events, threads, objects, _startTimestamp, end, _notes, dropped);
            return _result;
        }
    }

    /// <summary>Adds a remark shown with the trace (for example, threads still running at the end).</summary>
    public void AddNote(string note)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(note);
        lock (_gate)
        {
            _notes.Add(note);
        }
    }

    /// <summary>Stops recording if still recording.</summary>
    public void Dispose() => Stop();

    /// <summary>Registers a traced object and returns the id its events carry.</summary>
    public static int RegisterObject(string? name, string kind)
    {
        var id = Interlocked.Increment(ref s_nextObjectId);
        ObjectsById[id] = new TraceObject(id, string.IsNullOrWhiteSpace(name) ? $"{kind}#{id}" : name, kind);
        return id;
    }

    /// <summary>The registered object with <paramref name="id"/>, if any.</summary>
    public static TraceObject? FindObject(int id) => ObjectsById.TryGetValue(id, out var o) ? o : null;

    /// <summary>Records a labelled moment on the calling thread.</summary>
    public static void Mark(string label) => Record(TraceEventKind.Mark, label: label);

    /// <summary>Records a labelled span of work on the calling thread, ended when the result is disposed.</summary>
    public static SpanScope Span(string label)
    {
        Record(TraceEventKind.SpanBegan, label: label);
        return new SpanScope(s_active is not null);
    }

    /// <summary>Records that <paramref name="thread"/> (the calling thread) started, with its name and flags.</summary>
    public static void RecordThreadStarted(Thread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        Record(TraceEventKind.ThreadStarted, label: thread.Name ?? $"thread {thread.ManagedThreadId}");
    }

    /// <summary>Records one event on the calling thread, if a recorder is active.</summary>
    public static void Record(
        TraceEventKind kind,
        int objectId = 0,
        WaitKind waitKind = WaitKind.None,
        WaitOutcome outcome = WaitOutcome.None,
        int relatedThreadId = 0,
        long value = 0,
        string? label = null)
    {
        var recorder = s_active;
        if (recorder is null)
        {
            return;
        }

        var buffer = t_buffer;
        if (buffer is null || !ReferenceEquals(buffer.Owner, recorder))
        {
            buffer = t_buffer = t_lane is { } lane ? recorder.LaneBuffer(lane) : recorder.CreateBuffer();
        }

        buffer.Add(new TraceEvent(
            Stopwatch.GetTimestamp(), kind, buffer.Thread.ThreadId, buffer.Thread.OsThreadId,
            objectId, waitKind, outcome, relatedThreadId, value, label));
    }

    /// <summary>
    /// Records one event into <paramref name="lane"/> at <paramref name="timestamp"/> (Stopwatch ticks), if a recorder is
    /// active: for work observed from outside, such as a task in another process, whose start and end that process
    /// reported (on Linux, Windows and macOS the Stopwatch clock is system-wide, so another process's timestamps line up
    /// with this one's). Safe to call from several threads for one lane; do not also <see cref="EnterLane"/> that lane.
    /// </summary>
    public static void RecordInLane(TraceLane lane, long timestamp, TraceEventKind kind, string? label = null, long value = 0)
    {
        ArgumentNullException.ThrowIfNull(lane);
        if (s_active is not { } recorder)
        {
            return;
        }

        lock (lane)
        {
            var buffer = recorder.LaneBuffer(lane);
            buffer.Add(new TraceEvent(timestamp, kind, buffer.Thread.ThreadId, 0, Value: value, Label: label));
        }
    }

    /// <summary>
    /// Makes what the calling thread records go to <paramref name="lane"/> until the result is disposed, so work
    /// that shares a thread (a coroutine) gets a lane of its own on the timeline. Scopes nest; dispose them in
    /// reverse order, on the thread that entered them.
    /// </summary>
    public static LaneScope EnterLane(TraceLane lane)
    {
        ArgumentNullException.ThrowIfNull(lane);
        var scope = new LaneScope(t_lane, t_buffer);
        t_lane = lane;
        t_buffer = lane.Buffer as ThreadBuffer; // stale when it belongs to an earlier recorder: Record then replaces it
        return scope;
    }

    /// <summary>
    /// Records an event observed by a listener (see <see cref="RuntimeEventOverlay"/>), known by OS thread id.
    /// When the trace stops, such events are kept only for threads the trace knows.
    /// </summary>
    public void RecordExternal(TraceEvent e)
    {
        lock (_gate)
        {
            if (_result is null)
            {
                _external.Add(e);
            }
        }
    }

    private ThreadBuffer CreateBuffer()
    {
        var thread = Thread.CurrentThread;
        var info = new TraceThread(
            thread.ManagedThreadId,
            LinuxTasks.CurrentThreadId(),
            thread.Name ?? $"thread {thread.ManagedThreadId}",
            thread.IsBackground,
            thread.IsThreadPoolThread);
        var buffer = new ThreadBuffer(this, info);
        lock (_gate)
        {
            _buffers.Add(buffer);
        }

        return buffer;
    }

    private ThreadBuffer LaneBuffer(TraceLane lane)
    {
        if (lane.Buffer is ThreadBuffer existing && ReferenceEquals(existing.Owner, this))
        {
            return existing;
        }

        var buffer = new ThreadBuffer(this, new TraceThread(lane.Id, 0, lane.Name, IsBackground: null, IsPoolThread: false));
        lock (_gate)
        {
            _buffers.Add(buffer);
        }

        lane.Buffer = buffer;
        return buffer;
    }

    /// <summary>Leaves a <see cref="TraceLane"/> when disposed: the thread records into what it recorded into before.</summary>
    public readonly struct LaneScope : IDisposable
    {
        private readonly TraceLane? _previousLane;
        private readonly ThreadBuffer? _previousBuffer;

        internal LaneScope(TraceLane? previousLane, object? previousBuffer)
        {
            _previousLane = previousLane;
            _previousBuffer = previousBuffer as ThreadBuffer;
        }

        /// <summary>Returns the calling thread to the lane it recorded into before the scope began.</summary>
        public void Dispose()
        {
            t_lane = _previousLane;
            t_buffer = _previousBuffer;
        }
    }

    /// <summary>Ends a span when disposed.</summary>
    public readonly struct SpanScope : IDisposable
    {
        private readonly bool _recording;

        internal SpanScope(bool recording) => _recording = recording;

        /// <summary>Records the end of the span.</summary>
        public void Dispose()
        {
            if (_recording)
            {
                Record(TraceEventKind.SpanEnded);
            }
        }
    }

    /// <summary>
    /// One thread's events for one session. Only the owning thread appends; the count is published after the
    /// event is written, so <see cref="CopyTo"/> from another thread sees only complete events.
    /// </summary>
    private sealed class ThreadBuffer(TraceRecorder owner, TraceThread thread)
    {
        private const int ChunkSize = 1024; // 1024 events ≈ 48 KB: stays off the large-object heap
        private readonly List<TraceEvent[]> _chunks = [];
        private int _count;

        public TraceRecorder Owner { get; } = owner;

        public TraceThread Thread { get; } = thread;

        public long Dropped { get; private set; }

        public void Add(TraceEvent e)
        {
            var count = _count;
            if (count >= MaxEventsPerThread)
            {
                Dropped++;
                return;
            }

            var chunk = count / ChunkSize;
            if (chunk == _chunks.Count)
            {
                lock (_chunks)
                {
                    _chunks.Add(new TraceEvent[ChunkSize]);
                }
            }

            _chunks[chunk][count % ChunkSize] = e;
            Volatile.Write(ref _count, count + 1);
        }

        public void CopyTo(List<TraceEvent> events)
        {
            var count = Volatile.Read(ref _count);
            lock (_chunks)
            {
                for (var i = 0; i < count; i++)
                {
                    events.Add(_chunks[i / ChunkSize][i % ChunkSize]);
                }
            }
        }
    }
}
