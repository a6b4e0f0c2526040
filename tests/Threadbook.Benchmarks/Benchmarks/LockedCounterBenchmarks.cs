using BenchmarkDotNet.Attributes;
using Threadbook.Threading;

namespace Threadbook.Benchmarks;

/// <summary>
/// The notes' shared counter done right: <see cref="Threads"/> threads each add 1 to one counter
/// <see cref="IncrementsPerThread"/> times, each increment inside the lock, timed from the first start to the
/// last join (as the Python side does). The result is per increment. Unlike CPython, whose GIL runs one thread
/// at a time, the C# threads really run in parallel here, so the lock is truly contended: this measures the
/// contended path (spin, then sleep and wake-up) as much as the uncontended one.
/// </summary>
public class LockedCounterBenchmarks
{
    /// <summary>Threads incrementing at once.</summary>
    public const int Threads = 4;

    /// <summary>Increments each thread makes per invocation.</summary>
    public const int IncrementsPerThread = 50_000;

    private const int Increments = Threads * IncrementsPerThread;

    private readonly object _monitorTarget = new();
    private readonly TracedRLock _rlock = new("counter");
    private long _counter;

    /// <summary>Each increment in <c>lock (obj) { counter++; }</c>.</summary>
    [Benchmark(OperationsPerInvoke = Increments)]
    public long MonitorLock() => RunThreads(() =>
    {
        for (var i = 0; i < IncrementsPerThread; i++)
        {
            lock (_monitorTarget)
            {
                _counter++;
            }
        }
    });

    /// <summary>Each increment in <c>using (rlock.Hold()) { counter++; }</c> on a <see cref="TracedRLock"/>, no trace active.</summary>
    [Benchmark(OperationsPerInvoke = Increments)]
    public long TracedRLock() => RunThreads(() =>
    {
        for (var i = 0; i < IncrementsPerThread; i++)
        {
            using (_rlock.Hold())
            {
                _counter++;
            }
        }
    });

    private long RunThreads(ThreadStart body)
    {
        _counter = 0;
        var threads = new Thread[Threads];
        for (var i = 0; i < Threads; i++)
        {
            threads[i] = new Thread(body) { Name = $"incrementer-{i}" };
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (_counter != Increments)
        {
            throw new InvalidOperationException($"The counter reached {_counter}, not {Increments}: the lock let a race through.");
        }

        return _counter;
    }
}
