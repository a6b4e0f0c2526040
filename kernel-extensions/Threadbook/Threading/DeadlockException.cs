namespace Threadbook.Threading;

/// <summary>
/// Thrown out of a blocked acquire of a traced lock or semaphore that the deadlock detector found in a
/// cycle of threads waiting for each other. Every blocked wait in the cycle throws it, so each thread unwinds
/// and its <c>using</c> scopes release what it held. <see cref="Report"/> describes the cycle.
/// </summary>
public sealed class DeadlockException : Exception
{
    /// <summary>Creates the exception for one ended wait of the cycle in <paramref name="report"/>.</summary>
    public DeadlockException(DeadlockReport report, string endedWait)
        : base($"{report?.Summary} {endedWait}")
    {
        ArgumentNullException.ThrowIfNull(report);
        Report = report;
    }

    /// <summary>The cycle this wait was part of.</summary>
    public DeadlockReport Report { get; }
}
