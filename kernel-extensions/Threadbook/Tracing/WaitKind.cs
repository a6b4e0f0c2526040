namespace Threadbook.Tracing;

/// <summary>
/// What a thread waits for. Waits for a lock (someone else holds it) are drawn as <em>blocked</em>;
/// waits for something to happen (an event, a notification, another thread to end) as <em>waiting</em>.
/// </summary>
public enum WaitKind : byte
{
    /// <summary>No wait (events that are not waits).</summary>
    None,

    /// <summary>A traced lock held by another thread.</summary>
    Lock,

    /// <summary>A traced semaphore with no free slot.</summary>
    Semaphore,

    /// <summary>A traced event that is not set.</summary>
    Event,

    /// <summary>A traced condition variable's notification.</summary>
    Condition,

    /// <summary>Another thread to finish (<c>Join</c>).</summary>
    Join,

    /// <summary>Time to pass (<c>Sleep</c>).</summary>
    Sleep,

    /// <summary>A plain <c>lock</c>/<c>Monitor</c>, seen through the runtime's contention events.</summary>
    RuntimeLock,

    /// <summary>A wait handle or <c>Monitor.Wait</c>, seen through the runtime's wait events.</summary>
    RuntimeWait,

    /// <summary>A fiber or coroutine that handed control on (it switched away, yielded, or awaits something) and waits to get it back.</summary>
    Switch,

    /// <summary>A traced barrier's other parties to arrive.</summary>
    Barrier,
}
