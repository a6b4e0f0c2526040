using Threadbook.Scheduling;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// A scheduled thread of the explorer's own (a program thread or the setup thread): the primitives see only
/// <see cref="IScheduledThread"/>, while the explorer's console router also needs where its output goes.
/// </summary>
internal interface IExploredThread : IScheduledThread
{
    /// <summary>Where the thread's console output goes during its schedule, or null when the exploration lets it through.</summary>
    ScheduleOutputCapture? Output { get; }
}
