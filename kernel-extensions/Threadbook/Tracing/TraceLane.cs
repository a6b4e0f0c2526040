namespace Threadbook.Tracing;

/// <summary>
/// A lane of its own on the timeline for work that is not a thread of its own, such as a coroutine that shares
/// its thread with many others. While a thread is inside <see cref="TraceRecorder.EnterLane"/>, everything it
/// records (waits, spans, marks, traced primitives) goes to this lane instead of to the thread's own lane.
/// </summary>
/// <remarks>
/// A lane appears in a trace as a <see cref="TraceThread"/> whose <see cref="TraceThread.ThreadId"/> is the
/// lane's negative <see cref="Id"/>, so it can never be taken for a managed thread, and whose
/// <see cref="TraceThread.OsThreadId"/> is 0, so the runtime's own events (which belong to the OS thread) stay
/// on the thread's lane. Enter a lane from one thread at a time.
/// </remarks>
public sealed class TraceLane
{
    private static int s_lastId;

    /// <summary>Creates a lane shown as <paramref name="name"/>.</summary>
    public TraceLane(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Id = Interlocked.Decrement(ref s_lastId);
    }

    /// <summary>The lane's id: negative, unique in the process; events recorded in the lane carry it as their thread id.</summary>
    public int Id { get; }

    /// <summary>The name the timeline shows for the lane.</summary>
    public string Name { get; }

    /// <summary>The recorder's buffer this lane recorded into last (owned by <see cref="TraceRecorder"/>).</summary>
    internal object? Buffer { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"lane '{Name}' ({Id})";
}
