using Threadbook.Scheduling;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>How a traced primitive gets the trace object id its events carry and the name shown for it.</summary>
internal static class PrimitiveRegistration
{
    /// <summary>
    /// Registers a new primitive of <paramref name="kind"/>; its name is the registered one, else
    /// <paramref name="name"/>, else <c>Kind#id</c>. Under the interleaving explorer, which builds the same
    /// primitives afresh for every schedule, the explorer hands out the ids, so they are registered only once.
    /// </summary>
    public static (int ObjectId, string Name) Register(string? name, string kind) =>
        SchedulingHook.IsActive && SchedulingHook.Current is { } scheduled
            ? scheduled.RegisterObject(name, kind)
            : RegisterWithRecorder(name, kind);

    /// <summary>Registers with <see cref="TraceRecorder.RegisterObject"/> (what <see cref="Register"/> does outside the explorer).</summary>
    public static (int ObjectId, string Name) RegisterWithRecorder(string? name, string kind)
    {
        var objectId = TraceRecorder.RegisterObject(name, kind);
        return (objectId, TraceRecorder.FindObject(objectId)?.Name ?? (string.IsNullOrWhiteSpace(name) ? $"{kind}#{objectId}" : name));
    }
}
