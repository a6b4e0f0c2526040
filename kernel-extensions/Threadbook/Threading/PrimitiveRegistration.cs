using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>How a traced primitive gets the trace object id its events carry and the name shown for it.</summary>
internal static class PrimitiveRegistration
{
    /// <summary>
    /// Registers a new primitive of <paramref name="kind"/>; its name is the registered one, else
    /// <paramref name="name"/>, else <c>Kind#id</c>.
    /// </summary>
    public static (int ObjectId, string Name) Register(string? name, string kind)
    {
        var objectId = TraceRecorder.RegisterObject(name, kind);
        return (objectId, TraceRecorder.FindObject(objectId)?.Name ?? (string.IsNullOrWhiteSpace(name) ? $"{kind}#{objectId}" : name));
    }
}
