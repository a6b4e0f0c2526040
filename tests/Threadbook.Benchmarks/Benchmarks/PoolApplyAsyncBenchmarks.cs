using BenchmarkDotNet.Attributes;
using Threadbook.Processes;

namespace Threadbook.Benchmarks;

/// <summary>
/// Throughput of <see cref="ProcessPool.ApplyAsync"/> with a callback on a pool of two workers: a thousand calls of a
/// function that returns its argument are queued, each result goes to a callback on the pool's result-handler thread,
/// and the batch ends when the last callback ran. It is the C# side of the notes' <c>pool.apply_async(func=Foo,
/// args=(i,), callback=Bar)</c> loop with the work taken out, so what is left is the pool's cost per task: sending the
/// arguments, running the call in another process, bringing the result back and calling back. The result is per task.
/// </summary>
public class PoolApplyAsyncBenchmarks
{
    /// <summary>Tasks per invocation; BenchmarkDotNet divides by it.</summary>
    public const int Tasks = 1_000;

    private static readonly object?[][] Arguments = Enumerable.Range(0, Tasks).Select(i => new object?[] { i }).ToArray();
    private readonly CountdownEvent _callbacks = new(Tasks);
    private ProcessPool? _pool;

    /// <summary>Starts the pool and runs one task, so its workers are connected and have loaded the function.</summary>
    [GlobalSetup]
    public void StartPool()
    {
        _pool = new ProcessPool(2);
        _pool.Map<int, int>(ProcessBenchmarkJobs.Identity, [1, 2]);
    }

    /// <summary>Queues <see cref="Tasks"/> calls with a callback and waits for the last callback.</summary>
    [Benchmark(OperationsPerInvoke = Tasks)]
    public void ApplyAsyncWithCallback()
    {
        _callbacks.Reset(Tasks);
        Action<object?> callback = _ => _callbacks.Signal();
        for (var i = 0; i < Tasks; i++)
        {
            _pool!.ApplyAsync(ProcessBenchmarkJobs.Identity, Arguments[i], callback);
        }

        if (!_callbacks.Wait(TimeSpan.FromMinutes(1)))
        {
            throw new InvalidOperationException($"Only {Tasks - _callbacks.CurrentCount} of {Tasks} callbacks ran within a minute.");
        }
    }

    /// <summary>Ends the pool's workers.</summary>
    [GlobalCleanup]
    public void StopPool() => _pool?.Dispose();
}
