namespace Threadbook.Processes;

/// <summary>What one worker process of a <see cref="ProcessPool"/> is doing.</summary>
public enum PoolWorkerState
{
    /// <summary>Started, not yet connected back.</summary>
    Starting,

    /// <summary>Connected, running nothing.</summary>
    Idle,

    /// <summary>Running a task.</summary>
    Busy,

    /// <summary>Ended as asked (after <see cref="ProcessPool.Close"/> or <see cref="ProcessPool.Terminate"/>).</summary>
    Exited,

    /// <summary>Ended unexpectedly (killed, crashed); the pool replaced it.</summary>
    Died,
}
