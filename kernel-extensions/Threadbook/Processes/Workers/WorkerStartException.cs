namespace Threadbook.Processes;

/// <summary>A worker process could not be started, or ended (or hung) before it was ready for work. The message includes its last standard-error lines.</summary>
public sealed class WorkerStartException : Exception
{
    /// <summary>Creates the exception.</summary>
    public WorkerStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the one that caused it (e.g. the pool initializer's exception).</summary>
    public WorkerStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
