namespace Threadbook.Processes;

/// <summary>Where a <see cref="ProcessPool"/> is in its life.</summary>
public enum ProcessPoolState
{
    /// <summary>Accepting tasks.</summary>
    Running,

    /// <summary><see cref="ProcessPool.Close"/> was called: no new tasks; workers exit once the queue is done.</summary>
    Closed,

    /// <summary><see cref="ProcessPool.Terminate"/> was called (or the pool was disposed): workers were killed.</summary>
    Terminated,
}
