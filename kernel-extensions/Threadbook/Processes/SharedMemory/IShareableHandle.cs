namespace Threadbook.Processes.SharedMemory;

/// <summary>A Threadbook object that travels to another process as a handle the other side re-opens.</summary>
internal interface IShareableHandle
{
    /// <summary>How a call's description shows it, e.g. <c>SharedArray&lt;int&gt;[4]</c>.</summary>
    string HandleText { get; }
}
