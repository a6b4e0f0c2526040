namespace Threadbook.Threading;

/// <summary>What a <see cref="HoldScope"/> gives back when it is disposed.</summary>
internal interface IHeldResource
{
    /// <summary>Releases what one <c>Hold()</c> acquired, on the calling thread.</summary>
    void ReleaseHold();
}
