namespace Threadbook.Tracing;

/// <summary>How a wait ended.</summary>
public enum WaitOutcome : byte
{
    /// <summary>Not a wait-end event.</summary>
    None,

    /// <summary>The thread got what it waited for (the lock, the signal, the notification).</summary>
    Satisfied,

    /// <summary>The timeout passed first.</summary>
    TimedOut,

    /// <summary>The wait was ended because it was part of a deadlock.</summary>
    Deadlocked,

    /// <summary>The wait was cancelled.</summary>
    Cancelled,

    /// <summary>The barrier waited at broke (another waiter timed out, it was aborted or reset, or its action threw).</summary>
    Broken,
}
