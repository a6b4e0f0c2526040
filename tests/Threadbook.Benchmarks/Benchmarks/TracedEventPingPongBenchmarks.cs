using BenchmarkDotNet.Attributes;
using Threadbook.Threading;

namespace Threadbook.Benchmarks;

/// <summary>
/// The notes' <c>threading.Event</c> round trip of <see cref="EventPingPongBenchmarks"/>, with two
/// <see cref="TracedEvent"/>s instead of <see cref="ManualResetEventSlim"/>s and no trace active: main sets
/// <c>ping</c>, waits for <c>pong</c> and clears it; a partner waits for <c>ping</c>, clears it and sets
/// <c>pong</c>. The result is per round trip. Like <see cref="ManualResetEventSlim"/>, a traced event spins
/// briefly before it sleeps, so the same two regimes (free core or not) apply.
/// </summary>
public class TracedEventPingPongBenchmarks
{
    /// <summary>Round trips per benchmark invocation; BenchmarkDotNet divides by it.</summary>
    public const int RoundTripsPerInvoke = 500;

    private readonly TracedEvent _ping = new("ping");
    private readonly TracedEvent _pong = new("pong");
    private Thread? _partner;

    // Written by the main thread before its last Set of _ping, read by the partner after that Set woke it.
    private volatile bool _stopRequested;

    /// <summary>Starts the partner thread, once per benchmark run.</summary>
    [GlobalSetup]
    public void StartPartner()
    {
        _stopRequested = false;
        _partner = new Thread(AnswerPings) { IsBackground = true, Name = "pong" };
        _partner.Start();
    }

    /// <summary>Plays <see cref="RoundTripsPerInvoke"/> round trips with the partner.</summary>
    [Benchmark(OperationsPerInvoke = RoundTripsPerInvoke)]
    public void RoundTrip()
    {
        for (var i = 0; i < RoundTripsPerInvoke; i++)
        {
            _ping.Set();
            _pong.Wait();
            _pong.Clear();
        }
    }

    /// <summary>Stops the partner and waits for it, so no thread outlives the benchmark.</summary>
    [GlobalCleanup]
    public void StopPartner()
    {
        if (_partner is null)
        {
            return;
        }

        _stopRequested = true;
        _ping.Set();
        if (!_partner.Join(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("The ping-pong partner thread did not stop within 10 s.");
        }

        _partner = null;
        _ping.Clear();
        _pong.Clear();
    }

    private void AnswerPings()
    {
        while (true)
        {
            _ping.Wait();
            _ping.Clear();
            if (_stopRequested)
            {
                return;
            }

            _pong.Set();
        }
    }
}
