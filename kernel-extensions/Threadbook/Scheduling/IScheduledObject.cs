namespace Threadbook.Scheduling;

/// <summary>
/// Something shared whose operations are scheduling points: a traced primitive or the explorer's shared variable
/// (<c>SharedVariable&lt;T&gt;</c>).
/// </summary>
internal interface IScheduledObject
{
    /// <summary>The name shown in schedules and timelines.</summary>
    string Name { get; }

    /// <summary><c>RLock</c>, <c>Lock</c>, <c>Semaphore</c>, <c>Event</c>, <c>Condition</c>, <c>Barrier</c>, <c>shared</c>.</summary>
    string Kind { get; }

    /// <summary>
    /// The trace object id of a traced primitive (under the explorer, handed out per schedule, which tells an object of
    /// the schedule's program from one made outside it); 0 for an object the trace recorder does not know (a shared variable).
    /// </summary>
    int ObjectId { get; }

    /// <summary>
    /// Whether the thread <paramref name="threadId"/> (a managed id) could perform <paramref name="operation"/> on
    /// this object now without waiting. The explorer asks while no controlled thread runs, for the pending operation
    /// of each thread; only the object's own state may decide.
    /// </summary>
    bool CanProceed(in ScheduledOperation operation, int threadId);

    /// <summary>The object's state for a timeline row (<c>free</c>, <c>held by t1</c>, <c>set</c>), naming threads with <paramref name="threadName"/>.</summary>
    string DescribeState(Func<int, string> threadName);
}
