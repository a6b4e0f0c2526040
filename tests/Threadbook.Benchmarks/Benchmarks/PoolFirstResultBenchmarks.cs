using BenchmarkDotNet.Attributes;
using Threadbook.Processes;

namespace Threadbook.Benchmarks;

/// <summary>
/// From nothing to the first result of a new pool: <c>new ProcessPool(2)</c>, then <see cref="ProcessPool.Apply"/> of a
/// function that returns its argument. It is the C# side of <c>Pool(2)</c> then <c>pool.apply(f, (1,))</c>. CPython
/// forks its workers; .NET cannot fork, so Threadbook keeps two worker processes started (<see cref="WarmWorkers"/>)
/// and a new pool takes them. Each measured pool therefore starts with two warm workers ready — as in a notebook once a
/// pool or child has been used — and the time includes handing them over, connecting them to the pool, loading the
/// function's assembly in the worker and one round trip. The pool is disposed, and the warm workers refilled, outside the
/// measured time.
/// </summary>
public class PoolFirstResultBenchmarks
{
    private static readonly TimeSpan WarmTimeout = TimeSpan.FromSeconds(60);
    private ProcessPool? _pool;

    /// <summary>Starts keeping warm workers.</summary>
    [GlobalSetup]
    public void StartWarmWorkers() => WarmWorkers.Prestart();

    /// <summary>Waits until two warm workers are ready (the pool of the last iteration took them).</summary>
    [IterationSetup]
    public void WaitForWarmWorkers()
    {
        if (!WarmWorkers.WaitUntilWarm(WarmTimeout))
        {
            throw new InvalidOperationException($"The warm worker processes were not ready within {WarmTimeout.TotalSeconds} s.");
        }
    }

    /// <summary>Creates a pool of two and waits for its first result.</summary>
    [Benchmark]
    public object? FirstResult()
    {
        _pool = new ProcessPool(2);
        return _pool.Apply(ProcessBenchmarkJobs.Identity, 1);
    }

    /// <summary>Ends the pool's workers.</summary>
    [IterationCleanup]
    public void DisposePool() => _pool?.Dispose();

    /// <summary>Ends the warm workers.</summary>
    [GlobalCleanup]
    public void ReleaseWarmWorkers() => WarmWorkers.Release();
}
