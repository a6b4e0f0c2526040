
namespace Threadbook.Tracing;

/// <summary>What one thread did during a trace: time spent in each state and its waits.</summary>
/// <param name="Thread">The thread (its lane).</param>
/// <param name="Running">Time alive and not waiting.</param>
/// <param name="Waiting">Time waiting for something to happen (events, conditions, joins, sleeps).</param>
/// <param name="Blocked">Time waiting for a lock another thread held.</param>
/// <param name="Waits">How many waits it began.</param>
/// <param name="LongestWait">Its longest single wait.</param>
/// <param name="Timeouts">Waits that ended because their timeout passed.</param>
/// <param name="StillRunningAtEnd">True when no stop was recorded: the thread was still alive when the trace ended.</param>
/// <param name="UnfinishedWait">When the thread was still waiting at the end, what for; otherwise null.</param>
public sealed record ThreadActivity(
    TraceThread Thread,
    TimeSpan Running,
    TimeSpan Waiting,
    TimeSpan Blocked,
    int Waits,
    TimeSpan LongestWait,
    int Timeouts,
    bool StillRunningAtEnd,
    string? UnfinishedWait);
