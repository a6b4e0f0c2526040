namespace Threadbook.Processes;

/// <summary>A pool task that had not finished when <see cref="ProcessPool.Terminate"/> ran: it never will.</summary>
public sealed class PoolTerminatedException : Exception
{
    /// <summary>Creates the exception for <paramref name="call"/>.</summary>
    public PoolTerminatedException(string call)
        : base($"The pool was terminated before {call} finished.")
    {
        Call = call;
    }

    /// <summary>The call that will not finish.</summary>
    public string Call { get; }
}
