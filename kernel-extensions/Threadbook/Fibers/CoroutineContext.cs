namespace Threadbook.Fibers;

/// <summary>
/// The synchronization context a coroutine runs in: every <c>await</c> inside it captures this context, so the
/// continuation is posted back to the hub's loop (the hub's thread) and the hub knows which coroutine it belongs to.
/// </summary>
internal sealed class CoroutineContext(Hub hub, Coroutine? owner) : SynchronizationContext
{
    public Hub Hub { get; } = hub;

    public Coroutine? Owner { get; } = owner;

    public override void Post(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        Hub.Post(new HubWorkItem(Owner, d, state));
    }

    public override void Send(SendOrPostCallback d, object? state)
    {
        ArgumentNullException.ThrowIfNull(d);
        if (Hub.IsLoopThread)
        {
            d(state);
            return;
        }

        // From another thread: run it on the hub's turn and wait (the hub must be running for this to return).
        using var done = new ManualResetEventSlim();
        Exception? failure = null;
        Hub.Post(new HubWorkItem(Owner, () =>
        {
            try
            {
                d(state);
            }
            catch (Exception exception)
            {
                failure = exception;
            }
            finally
            {
                done.Set();
            }
        }));
        done.Wait();
        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    public override SynchronizationContext CreateCopy() => this;
}
