namespace Threadbook.Benchmarks;

/// <summary>
/// One round trip between two threads through two <see cref="ManualResetEventSlim"/>s, in exactly the shape
/// of the notes' <c>threading.Event</c> example: the main thread sets <c>ping</c> and waits for <c>pong</c>,
/// then resets it; a partner thread waits for <c>ping</c>, resets it and sets <c>pong</c>. This is the cost of
/// handing control to another thread and getting it back, which every event-driven lesson relies on.
/// The result is per round trip. Note that <see cref="ManualResetEventSlim"/> spins briefly before it
/// blocks, so with a free core the partner often never sleeps; that is the idiom's real behaviour.
/// </summary>
public class EventPingPongBenchmarks()
    : PartnerPingPongBenchmarks<ManualResetEventSlim>(new(initialState: false), new(initialState: false))
{
    /// <inheritdoc />
    protected override void Set(ManualResetEventSlim signal) => signal.Set();

    /// <inheritdoc />
    protected override void Wait(ManualResetEventSlim signal) => signal.Wait();

    /// <inheritdoc />
    protected override void Reset(ManualResetEventSlim signal) => signal.Reset();
}
