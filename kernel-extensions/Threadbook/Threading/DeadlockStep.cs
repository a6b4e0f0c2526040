using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// One thread of a deadlock cycle: what it holds (the object the previous thread in the cycle waits for),
/// what it waits for, and which thread holds that.
/// </summary>
/// <param name="ThreadId">The blocked thread's managed id.</param>
/// <param name="ThreadName">The blocked thread's name, or null when it had none.</param>
/// <param name="Holds">The name of the traced object this thread holds that the cycle passes through.</param>
/// <param name="HoldsObjectId">Its trace object id.</param>
/// <param name="WaitsFor">The name of the traced object this thread is blocked acquiring.</param>
/// <param name="WaitsForKind">Its kind: <c>RLock</c>, <c>Lock</c> or <c>Semaphore</c>.</param>
/// <param name="WaitsForObjectId">Its trace object id.</param>
/// <param name="HolderThreadId">The managed id of the thread that holds <paramref name="WaitsFor"/> (this thread itself in a self-deadlock).</param>
/// <param name="HolderThreadName">That thread's name, or null when it had none.</param>
public sealed record DeadlockStep(
    int ThreadId,
    string? ThreadName,
    string Holds,
    int HoldsObjectId,
    string WaitsFor,
    string WaitsForKind,
    int WaitsForObjectId,
    int HolderThreadId,
    string? HolderThreadName)
{
    /// <summary>The thread as reports show it: <c>worker-1 (#12)</c>, or <c>thread #12</c> when unnamed.</summary>
    public string ThreadDisplayName => ThreadLabel.Of(ThreadId, ThreadName);

    /// <summary>The holder as reports show it.</summary>
    public string HolderDisplayName => ThreadLabel.Of(HolderThreadId, HolderThreadName);

    /// <summary>True when the thread waits for something it holds itself (a non-re-entrant lock taken twice).</summary>
    public bool IsSelfWait => HolderThreadId == ThreadId;

    /// <summary>One sentence: <c>worker-1 (#12) holds lock-A and waits for lock-B, held by worker-2 (#13)</c>.</summary>
    public string ToText() => IsSelfWait
        ? $"{ThreadDisplayName} holds {Holds} and waits for {WaitsFor}, which it holds itself ({SelfWaitReason()})"
        : $"{ThreadDisplayName} holds {Holds} and waits for {WaitsFor}, held by {HolderDisplayName}";

    /// <inheritdoc />
    public override string ToString() => ToText();

    private string SelfWaitReason() => WaitsForKind switch
    {
        "Lock" => "a Lock is not re-entrant",
        "Semaphore" => "the semaphore has no free slot",
        _ => "it cannot be taken twice",
    };
}
