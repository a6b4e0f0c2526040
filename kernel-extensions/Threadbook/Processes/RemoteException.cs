namespace Threadbook.Processes;

/// <summary>
/// The exception a function raised in another process, brought back: the remote exception's type name, message and
/// stack (the worker's), and which process ran which call. Python re-raises a pool task's exception in <c>get()</c>;
/// Threadbook throws this.
/// </summary>
public sealed class RemoteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteException(string remoteTypeName, string remoteMessage, string remoteStackTrace, int processId, string call)
        : base($"{call} raised {remoteTypeName}: {remoteMessage} (in process {processId})")
    {
        RemoteTypeName = remoteTypeName;
        RemoteMessage = remoteMessage;
        RemoteStackTrace = remoteStackTrace;
        ProcessId = processId;
        Call = call;
    }

    /// <summary>The full name of the exception's type in the other process, e.g. <c>System.InvalidOperationException</c>.</summary>
    public string RemoteTypeName { get; }

    /// <summary>Its message.</summary>
    public string RemoteMessage { get; }

    /// <summary>Its stack trace in the other process (with any inner exceptions).</summary>
    public string RemoteStackTrace { get; }

    /// <summary>The process that ran the call.</summary>
    public int ProcessId { get; }

    /// <summary>The call, e.g. <c>Foo(3)</c>.</summary>
    public string Call { get; }

    /// <inheritdoc />
    public override string ToString() => $"{base.ToString()}{Environment.NewLine}--- stack in process {ProcessId} ---{Environment.NewLine}{RemoteStackTrace}";
}
