using Threadbook.Threading;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// Hands the traced primitives an exploration creates their trace ids: the program is built afresh for every schedule,
/// and registering each new lock with the trace recorder would grow its registry by every schedule. The k-th primitive
/// of a kind and name in a schedule gets the id the k-th one got in the first schedule.
/// </summary>
/// <remarks>Used only by the thread that has the turn (or the controller between schedules): never concurrently.</remarks>
internal sealed class ObjectIdCache
{
    private readonly Dictionary<(string Kind, string? Name, int Ordinal), (int ObjectId, string Name)> _ids = [];
    private readonly Dictionary<(string Kind, string? Name), int> _createdThisSchedule = [];
    private readonly HashSet<int> _issuedThisSchedule = [];

    /// <summary>Starts counting a new schedule's primitives.</summary>
    public void BeginSchedule()
    {
        _createdThisSchedule.Clear();
        _issuedThisSchedule.Clear();
    }

    /// <summary>True when a primitive created in the current schedule got <paramref name="objectId"/>.</summary>
    public bool IssuedThisSchedule(int objectId) => _issuedThisSchedule.Contains(objectId);

    /// <summary>The id and name for the next primitive of <paramref name="kind"/> named <paramref name="name"/>.</summary>
    public (int ObjectId, string Name) Register(string? name, string kind)
    {
        var key = (kind, string.IsNullOrWhiteSpace(name) ? null : name);
        var ordinal = _createdThisSchedule.GetValueOrDefault(key);
        _createdThisSchedule[key] = ordinal + 1;
        if (!_ids.TryGetValue((key.kind, key.Item2, ordinal), out var registered))
        {
            registered = PrimitiveRegistration.RegisterWithRecorder(name, kind);
            _ids[(key.kind, key.Item2, ordinal)] = registered;
        }

        _issuedThisSchedule.Add(registered.ObjectId);
        return registered;
    }
}
