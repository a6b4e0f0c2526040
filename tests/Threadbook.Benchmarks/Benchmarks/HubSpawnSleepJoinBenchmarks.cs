using BenchmarkDotNet.Attributes;
using Threadbook.Fibers;

namespace Threadbook.Benchmarks;

/// <summary>
/// A hundred thousand coroutines on one <see cref="Hub"/>: spawn each (<c>async () =&gt; await Hub.Sleep(0)</c>),
/// then <see cref="Hub.JoinAll"/> runs them all on the benchmark's thread — each starts, gives way once, continues
/// and ends. It is the C# side of <c>gevent.joinall([gevent.spawn(work) for _ in range(100_000)])</c> with
/// <c>work</c> calling <c>gevent.sleep(0)</c>, the notes' gevent example at scale. The hub is reused, as gevent's
/// is. The result is per coroutine, and includes the garbage collector's work for a hundred thousand live
/// coroutines.
/// </summary>
public class HubSpawnSleepJoinBenchmarks
{
    /// <summary>Coroutines per invocation; BenchmarkDotNet divides by it.</summary>
    public const int Coroutines = 100_000;

    private static readonly Func<Task> SleepZero = static async () => await Hub.Sleep(0);

    private readonly Hub _hub = new("benchmark");
    private readonly Coroutine[] _coroutines = new Coroutine[Coroutines];

    /// <summary>Spawns <see cref="Coroutines"/> coroutines that each sleep 0, and joins them all.</summary>
    [Benchmark(OperationsPerInvoke = Coroutines)]
    public void SpawnSleepZeroJoinAll()
    {
        for (var i = 0; i < Coroutines; i++)
        {
            _coroutines[i] = _hub.Spawn(SleepZero);
        }

        if (_hub.JoinAll(_coroutines, TimeSpan.FromMinutes(1)).Count != Coroutines)
        {
            throw new InvalidOperationException("Not every coroutine ended within a minute.");
        }
    }
}
