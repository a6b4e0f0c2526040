namespace Threadbook.Scheduling;

/// <summary>What a virtual thread does at one step of a schedule.</summary>
public enum OperationKind
{
    /// <summary>Reads a shared variable of the explorer (<c>SharedVariable&lt;T&gt;</c>).</summary>
    Read,

    /// <summary>Writes a shared variable.</summary>
    Write,

    /// <summary>Reads and writes a shared variable in one indivisible step (like <c>Interlocked</c>).</summary>
    Update,

    /// <summary>Acquires a traced lock or a semaphore slot (a wait for it, if it is taken, is the same step).</summary>
    Acquire,

    /// <summary>Releases a traced lock or a semaphore slot.</summary>
    Release,

    /// <summary>Calls an event's or a condition's <c>Wait</c>: returns at once if it can, else starts waiting.</summary>
    Wait,

    /// <summary>Goes on after waiting: woken by a set or a notify, or timed out.</summary>
    Resume,

    /// <summary>Sets an event.</summary>
    Set,

    /// <summary>Clears an event.</summary>
    Clear,

    /// <summary>Notifies a condition's waiters.</summary>
    Notify,

    /// <summary>Resets a barrier (its waiters leave with the broken error).</summary>
    Reset,

    /// <summary>Aborts (breaks) a barrier.</summary>
    Abort,
}
