namespace Threadbook.Exploration;

/// <summary>Where a virtual thread is at one step of a schedule: a cell of its lane on the timeline.</summary>
public enum VirtualThreadState
{
    /// <summary>It takes this step.</summary>
    Running,

    /// <summary>It could take this step but another thread does.</summary>
    Ready,

    /// <summary>Its next operation must wait (a lock someone holds, an event not set).</summary>
    Blocked,

    /// <summary>Its code has returned (or thrown).</summary>
    Finished,
}
