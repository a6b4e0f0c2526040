namespace Threadbook.Tracing.Timeline;

/// <summary>What a thread is doing during a stretch of its lane.</summary>
internal enum LaneState : byte
{
    /// <summary>Not waiting: on a core, or ready to be.</summary>
    Running,

    /// <summary>Waiting for something to happen (an event, a notification, a thread to end, time to pass).</summary>
    Waiting,

    /// <summary>Waiting for a lock another thread holds.</summary>
    Blocked,
}
