namespace Threadbook.Threading;

/// <summary>
/// The scope of one <c>Hold()</c> call on a traced lock, semaphore or condition: disposing it releases what
/// <c>Hold()</c> acquired, so <c>using (rlock.Hold()) { ... }</c> behaves like Python's <c>with rlock:</c>,
/// including when the block throws. Dispose it exactly once; a default instance releases nothing.
/// </summary>
public readonly struct HoldScope : IDisposable
{
    private readonly IHeldResource? _resource;

    internal HoldScope(IHeldResource resource) => _resource = resource;

    /// <summary>Releases the lock or semaphore slot that <c>Hold()</c> acquired.</summary>
    public void Dispose() => _resource?.ReleaseHold();
}
