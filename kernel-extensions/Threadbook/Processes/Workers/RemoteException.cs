namespace Threadbook.Processes;

/// <summary>
/// The exception a function raised in another process, brought back: the remote exception's type name, message and
/// stack (the worker's), and which process ran which call. Python re-raises a pool task's exception in <c>get()</c> as
/// its own type; so does Threadbook when this process can build that type (see <see cref="ProcessPool"/>): the exception
/// thrown is then of the child's type, with the child's message, and this object rides along as its
/// <see cref="Exception.InnerException"/> (or, for a type with no (message, inner) constructor, in its
/// <see cref="Exception.Data"/>). <see cref="Of"/> finds it either way. A <see cref="RemoteException"/> itself is thrown
/// only when the type cannot be built here.
/// </summary>
public sealed partial class RemoteException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteException(string remoteTypeName, string remoteMessage, string remoteStackTrace, int processId, string call)
        : base(LocationOf(remoteStackTrace) is { } at
            ? $"{call} raised {remoteTypeName}: {remoteMessage} (in process {processId}, at {at})"
            : $"{call} raised {remoteTypeName}: {remoteMessage} (in process {processId})")
    {
        RemoteLocation = LocationOf(remoteStackTrace);
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

    /// <summary>
    /// Where the exception was raised, from the first frame of the remote stack that has a file and line: e.g.
    /// <c>#!worker cell line 5</c> for <c>#!worker</c> code (whose lines are the cell's), <c>Jobs.cs line 12</c> for a
    /// program's; null when no frame has one (code built without debug symbols).
    /// </summary>
    public string? RemoteLocation { get; }

    /// <summary>The process that ran the call.</summary>
    public int ProcessId { get; }

    /// <summary>The call, e.g. <c>Foo(3)</c>.</summary>
    public string Call { get; }

    /// <summary>The key under which a rebuilt exception without an inner-exception constructor keeps its <see cref="RemoteException"/> in <see cref="Exception.Data"/>.</summary>
    public const string DataKey = "Threadbook.RemoteException";

    /// <summary>
    /// The remote side of <paramref name="error"/>: the error itself when it is a <see cref="RemoteException"/>, else the
    /// one a rebuilt child exception carries (its inner exception or its <see cref="DataKey"/> entry); null for an
    /// exception that did not come from another process.
    /// </summary>
    public static RemoteException? Of(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error as RemoteException
            ?? error.InnerException as RemoteException
            ?? (error.Data.Contains(DataKey) ? error.Data[DataKey] as RemoteException : null);
    }

    /// <summary>The first "in FILE:line N" of a .NET stack trace, as "FILE line N" with the file's name only.</summary>
    private static string? LocationOf(string stackTrace)
    {
        var frame = FrameWithLine().Match(stackTrace);
        return frame.Success ? $"{Path.GetFileName(frame.Groups["file"].Value)} line {frame.Groups["line"].Value}" : null;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\s*at .+? in (?<file>.+):line (?<line>\d+)\s*$", System.Text.RegularExpressions.RegexOptions.Multiline)]
    private static partial System.Text.RegularExpressions.Regex FrameWithLine();

    /// <inheritdoc />
    public override string ToString() => $"{base.ToString()}{Environment.NewLine}--- stack in process {ProcessId} ---{Environment.NewLine}{RemoteStackTrace}";
}
