using BenchmarkDotNet.Attributes;

namespace Threadbook.Benchmarks;

/// <summary>
/// One round trip between two threads through two <see cref="ManualResetEventSlim"/>s, in exactly the shape
/// of the notes' <c>threading.Event</c> example: the main thread sets <c>ping</c> and waits for <c>pong</c>,
/// then resets it; a partner thread waits for <c>ping</c>, resets it and sets <c>pong</c>. This is the cost of
/// handing control to another thread and getting it back, which every event-driven lesson relies on.
/// The result is per round trip. Note that <see cref="ManualResetEventSlim"/> spins briefly before it
/// blocks, so with a free core the partner often never sleeps; that is the idiom's real behaviour.
/// </summary>
public class EventPingPongBenchmarks
{
    /// <summary>Round trips per benchmark invocation; BenchmarkDotNet divides by it.</summary>
    public const int RoundTripsPerInvoke = 500;

    private readonly ManualResetEventSlim _ping = new(initialState: false);
    private readonly ManualResetEventSlim _pong = new(initialState: false);
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
            _pong.Reset();
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

        // Every round trip has completed, so the partner is waiting for (or about to wait for) _ping.
        _stopRequested = true;
        _ping.Set();
        if (!_partner.Join(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("The ping-pong partner thread did not stop within 10 s.");
        }

        _partner = null;
        _ping.Reset();
        _pong.Reset();
    }

    private void AnswerPings()
    {
        while (true)
        {
            _ping.Wait();
            _ping.Reset();
            if (_stopRequested)
            {
                return;
            }

            _pong.Set();
        }
    }
}
