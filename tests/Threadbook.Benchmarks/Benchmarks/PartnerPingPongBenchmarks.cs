using BenchmarkDotNet.Attributes;

namespace Threadbook.Benchmarks;

/// <summary>
/// The partner-thread ping-pong of the notes' <c>threading.Event</c> example, for any event type: the main
/// thread sets <c>ping</c>, waits for <c>pong</c> and resets it; a partner thread waits for <c>ping</c>, resets
/// it and sets <c>pong</c>. The result is per round trip. A subclass only says which event type it times.
/// </summary>
/// <remarks>
/// Public only because BenchmarkDotNet needs its benchmark classes, and so this base, to be public. The three
/// event operations are virtual calls: a few nanoseconds at most next to a hand-off between two threads.
/// </remarks>
/// <typeparam name="TEvent">The event type both <c>ping</c> and <c>pong</c> are.</typeparam>
public abstract class PartnerPingPongBenchmarks<TEvent>
    where TEvent : class
{
    /// <summary>Round trips per benchmark invocation; BenchmarkDotNet divides by it.</summary>
    public const int RoundTripsPerInvoke = 500;

    private readonly TEvent _ping;
    private readonly TEvent _pong;
    private Thread? _partner;

    // Written by the main thread before its last Set of _ping, read by the partner after that Set woke it.
    private volatile bool _stopRequested;

    /// <summary>Plays ping-pong with two unset events.</summary>
    protected PartnerPingPongBenchmarks(TEvent ping, TEvent pong)
    {
        _ping = ping;
        _pong = pong;
    }

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
            Set(_ping);
            Wait(_pong);
            Reset(_pong);
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
        Set(_ping);
        if (!_partner.Join(TimeSpan.FromSeconds(10)))
        {
            throw new InvalidOperationException("The ping-pong partner thread did not stop within 10 s.");
        }

        _partner = null;
        Reset(_ping);
        Reset(_pong);
    }

    /// <summary>Raises the event, waking its waiter.</summary>
    protected abstract void Set(TEvent signal);

    /// <summary>Waits until the event is raised.</summary>
    protected abstract void Wait(TEvent signal);

    /// <summary>Lowers the event again.</summary>
    protected abstract void Reset(TEvent signal);

    private void AnswerPings()
    {
        while (true)
        {
            Wait(_ping);
            Reset(_ping);
            if (_stopRequested)
            {
                return;
            }

            Set(_pong);
        }
    }
}
