
namespace Threadbook.Tracing;

/// <summary>How one synchronisation object was used during a trace.</summary>
/// <param name="Object">The object.</param>
/// <param name="Acquisitions">Times it was taken.</param>
/// <param name="ContendedAcquisitions">Times it was taken only after waiting for it.</param>
/// <param name="Releases">Times it was released.</param>
/// <param name="Waits">Waits that began on it.</param>
/// <param name="TotalWait">The time all threads spent waiting on it, added up.</param>
/// <param name="LongestWait">The longest single wait on it.</param>
/// <param name="Sets">Times it was set (events).</param>
/// <param name="Clears">Times it was cleared (events).</param>
/// <param name="Notifications">Times it was notified (conditions).</param>
/// <param name="Timeouts">Waits on it that ended because their timeout passed.</param>
/// <param name="DeadlockedWaits">Waits on it that were ended by deadlock detection.</param>
public sealed record ObjectActivity(
    TraceObject Object,
    int Acquisitions,
    int ContendedAcquisitions,
    int Releases,
    int Waits,
    TimeSpan TotalWait,
    TimeSpan LongestWait,
    int Sets,
    int Clears,
    int Notifications,
    int Timeouts,
    int DeadlockedWaits);
