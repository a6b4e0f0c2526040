namespace Threadbook.Scheduling;

/// <summary>A thread whose operations on shared objects the explorer schedules, one at a time.</summary>
internal interface IScheduledThread
{
    /// <summary>
    /// A scheduling point: the calling thread is about to perform <paramref name="operation"/>. Returns once the
    /// explorer chooses this thread to perform it, which, for an operation that must wait, is once the target says it
    /// can proceed (see <see cref="IScheduledObject.CanProceed"/>).
    /// </summary>
    /// <returns>False when the explorer chose to let a timed wait time out instead; true otherwise.</returns>
    bool Yield(in ScheduledOperation operation);

    /// <summary>True while the steps of this schedule are being recorded (so <see cref="Note"/> is worth its string).</summary>
    bool IsRecording { get; }

    /// <summary>Adds what the current step did (a value read or written) to the recorded step.</summary>
    void Note(string detail);

    /// <summary>The thread's name, which also tags its console output.</summary>
    string Name { get; }

    /// <summary>The trace object id and name for a primitive created on this thread (reused across schedules).</summary>
    (int ObjectId, string Name) RegisterObject(string? name, string kind);
}
