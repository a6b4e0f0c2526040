namespace Threadbook.Tracing;

/// <summary>A synchronisation object that appears in traces, with the name shown on the timeline.</summary>
/// <param name="Id">The id events refer to.</param>
/// <param name="Name">The name given at creation (or a generated one such as <c>RLock#3</c>).</param>
/// <param name="Kind">The kind of object: <c>RLock</c>, <c>Lock</c>, <c>Event</c>, <c>Semaphore</c>, <c>Condition</c>, <c>Monitor</c>, <c>WaitHandle</c>.</param>
public sealed record TraceObject(int Id, string Name, string Kind);
