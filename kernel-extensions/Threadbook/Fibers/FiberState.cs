namespace Threadbook.Fibers;

/// <summary>Where a <see cref="Fiber"/> is in its life.</summary>
public enum FiberState
{
    /// <summary>Created, never switched to: its function has not begun (greenlet: not started, not dead).</summary>
    NotStarted,

    /// <summary>Its code is the one running in its group (at most one fiber of a group is).</summary>
    Running,

    /// <summary>Started, and parked inside a <see cref="Fiber.Switch"/> until someone switches back to it.</summary>
    Suspended,

    /// <summary>Its function returned or threw, or it was killed: switching to it goes to its parent.</summary>
    Dead,
}
