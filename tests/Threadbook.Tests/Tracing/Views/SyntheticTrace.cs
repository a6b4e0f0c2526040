using Stopwatch = System.Diagnostics.Stopwatch;
using Threadbook.Tracing;

namespace Threadbook.Tests.Tracing;

/// <summary>Builds a <see cref="Trace"/> from events written in milliseconds, for renderer tests.</summary>
internal sealed class SyntheticTrace
{
    /// <summary>The trace's start in Stopwatch ticks: not zero, so a renderer that forgets to subtract it shows.</summary>
    public const long Origin = 5_000_000_000;

    private readonly List<TraceEvent> _events = [];
    private readonly List<TraceThread> _threads = [];
    private readonly List<TraceObject> _objects = [];

    public static long Ticks(double ms) => Origin + (long)Math.Round(ms * Stopwatch.Frequency / 1000.0);

    public SyntheticTrace Thread(int id, string name, bool? background = false, bool pool = false)
    {
        _threads.Add(new TraceThread(id, 10_000 + id, name, background, pool));
        return this;
    }

    public SyntheticTrace Object(int id, string name, string kind)
    {
        _objects.Add(new TraceObject(id, name, kind));
        return this;
    }

    public SyntheticTrace At(
        double ms, TraceEventKind kind, int thread, int obj = 0, WaitKind waitKind = WaitKind.None,
        WaitOutcome outcome = WaitOutcome.None, int related = 0, long value = 0, string? label = null)
    {
        _events.Add(new TraceEvent(Ticks(ms), kind, thread, 10_000 + thread, obj, waitKind, outcome, related, value, label));
        return this;
    }

    public SyntheticTrace Started(double ms, int thread) => At(ms, TraceEventKind.ThreadStarted, thread);

    public SyntheticTrace Stopped(double ms, int thread) => At(ms, TraceEventKind.ThreadStopped, thread);

    /// <summary>A wait from <paramref name="from"/> to <paramref name="to"/> ms; <paramref name="to"/> null leaves it open.</summary>
    public SyntheticTrace Wait(
        int thread, int obj, WaitKind kind, double from, double? to,
        WaitOutcome outcome = WaitOutcome.Satisfied, int wokenBy = 0, int heldBy = 0)
    {
        At(from, TraceEventKind.WaitBegan, thread, obj, kind, related: heldBy);
        return to is { } end ? At(end, TraceEventKind.WaitEnded, thread, obj, kind, outcome, wokenBy) : this;
    }

    public Trace Build(double endMs, string title = "test trace", IEnumerable<string>? notes = null, long dropped = 0) =>
        new(title, _events, _threads, _objects, Origin, Ticks(endMs), notes, dropped);

    /// <summary>
    /// Two threads and a lock: beta holds 'accounts' from 5 to 40 ms while alpha is blocked on it from 10 ms;
    /// beta's release at 40 ms wakes alpha, which then times out waiting for the event 'ready' (60 to 70 ms)
    /// and stops at 80 ms. Beta sets and clears 'ready' and is still running when the trace ends at 100 ms.
    /// </summary>
    public static SyntheticTrace LockHandOff() => new SyntheticTrace()
        .Thread(1, "alpha")
        .Thread(2, "beta", background: true)
        .Object(1, "accounts", "Lock")
        .Object(2, "ready", "Event")
        .Started(0, 1)
        .Started(0, 2)
        .At(5, TraceEventKind.Acquired, 2, obj: 1)
        .Wait(1, 1, WaitKind.Lock, 10, 40, wokenBy: 2, heldBy: 2)
        .At(40, TraceEventKind.Released, 2, obj: 1)
        .At(40, TraceEventKind.Acquired, 1, obj: 1)
        .At(45, TraceEventKind.EventSet, 2, obj: 2)
        .At(46, TraceEventKind.EventCleared, 2, obj: 2)
        .At(50, TraceEventKind.Released, 1, obj: 1)
        .Wait(1, 2, WaitKind.Event, 60, 70, WaitOutcome.TimedOut)
        .Stopped(80, 1);

    /// <summary>
    /// About <paramref name="events"/> events: <paramref name="threads"/> threads taking <paramref name="locks"/>
    /// locks in turn, each acquisition often after a short blocked wait, with the occasional timeout and mark.
    /// </summary>
    public static Trace Hammer(int threads = 8, int locks = 3, int events = 10_000)
    {
        var trace = new SyntheticTrace();
        for (var t = 1; t <= threads; t++)
        {
            trace.Thread(t, $"worker-{t}", background: t % 2 == 0, pool: t % 3 == 0);
            trace.Started(0.01 * t, t);
        }

        for (var l = 1; l <= locks; l++)
        {
            trace.Object(l, $"lock-{l}", "RLock");
        }

        var random = new Random(42);
        var clock = new double[threads + 1];
        var count = threads;
        for (var round = 0; count < events; round++)
        {
            var t = 1 + (round % threads);
            var lockId = 1 + random.Next(locks);
            var now = clock[t] + 0.005 + (random.NextDouble() * 0.02);
            if (random.Next(3) > 0)
            {
                var waited = 0.002 + (random.NextDouble() * 0.03);
                var timedOut = random.Next(50) == 0;
                var waker = 1 + ((t + random.Next(threads - 1)) % threads);
                trace.At(now + waited - 0.0005, TraceEventKind.Released, waker, obj: lockId);
                trace.Wait(t, lockId, WaitKind.Lock, now, now + waited, timedOut ? WaitOutcome.TimedOut : WaitOutcome.Satisfied, timedOut ? 0 : waker, waker);
                now += waited;
                count += 3;
                if (timedOut)
                {
                    clock[t] = now;
                    continue;
                }
            }

            trace.At(now, TraceEventKind.Acquired, t, obj: lockId);
            trace.At(now + 0.01, TraceEventKind.Released, t, obj: lockId);
            count += 2;
            if (round % 997 == 0)
            {
                trace.At(now + 0.005, TraceEventKind.Mark, t, label: $"round {round}");
                count++;
            }

            clock[t] = now + 0.012;
        }

        var end = clock.Max() + 0.5;
        for (var t = 1; t <= threads; t++)
        {
            trace.Stopped(clock[t] + 0.1, t);
        }

        return trace.Build(end, "8 threads hammering 3 locks");
    }
}
