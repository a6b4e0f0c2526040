namespace Threadbook.Threading;

/// <summary>
/// Thrown out of a blocked, untimed acquire of a <see cref="TracedRLock"/> that the deadlock detector found in a
/// definite cycle of threads waiting for each other (see <see cref="DeadlockDetector"/>: one nothing could ever end,
/// where CPython would hang forever). Every wait in the cycle throws it, so each thread unwinds and its <c>using</c>
/// scopes release what it held. <see cref="Report"/> describes the cycle. Timed waits, and waits for a
/// <see cref="TracedLock"/> or <see cref="TracedSemaphore"/>, never throw it.
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
