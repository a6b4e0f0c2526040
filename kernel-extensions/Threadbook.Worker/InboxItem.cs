using Threadbook.Processes;
using Threadbook.Processes.Wire;

namespace Threadbook.Worker;

/// <summary>One message from the parent, read off the connection and parsed (the frame itself does not outlive the next read).</summary>
internal sealed record InboxItem(MessageKind Kind, FunctionDefinition? Definition = null, RunRequest? Run = null)
{
    /// <summary>The connection ended: the parent is done with this worker, or it died.</summary>
    public static readonly InboxItem Ended = new((MessageKind)0);
}
