using Threadbook.Threading;

namespace Threadbook.Benchmarks;

/// <summary>
/// The notes' <c>threading.Event</c> round trip of <see cref="EventPingPongBenchmarks"/>, with two
/// <see cref="TracedEvent"/>s instead of <see cref="ManualResetEventSlim"/>s and no trace active: main sets
/// <c>ping</c>, waits for <c>pong</c> and clears it; a partner waits for <c>ping</c>, clears it and sets
/// <c>pong</c>. The result is per round trip. Like <see cref="ManualResetEventSlim"/>, a traced event spins
/// briefly before it sleeps, so the same two regimes (free core or not) apply.
/// </summary>
public class TracedEventPingPongBenchmarks()
    : PartnerPingPongBenchmarks<TracedEvent>(new("ping"), new("pong"))
{
    /// <inheritdoc />
    protected override void Set(TracedEvent signal) => signal.Set();

    /// <inheritdoc />
    protected override void Wait(TracedEvent signal) => signal.Wait();

    /// <inheritdoc />
    protected override void Reset(TracedEvent signal) => signal.Clear();
}
