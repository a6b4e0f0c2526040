using BenchmarkDotNet.Attributes;
using Threadbook.Processes;

namespace Threadbook.Benchmarks;

/// <summary>
/// Two processes add one to the same element of a <see cref="SharedArray{T}"/> of <see cref="int"/>, each increment
/// under the array's process lock — the notes' <c>Array('i', ...)</c> with the race fixed by the process lock. Two pool
/// workers (started once) each run 100,000 increments at the same time; the time ends when both are done. It is the
/// C# side of two <c>Pool</c> workers doing <c>with counter.get_lock(): counter[0] += 1</c>. The result is per
/// increment, with the two processes contending for the lock throughout.
/// </summary>
public class SharedArrayLockedIncrementBenchmarks
{
    /// <summary>Increments per process per invocation.</summary>
    public const int PerProcess = 100_000;

    private ProcessPool? _pool;
    private SharedArray<int>? _counter;

    /// <summary>Creates the array and the pool of two, and runs one small round so the workers have the function loaded.</summary>
    [GlobalSetup]
    public void Start()
    {
        _counter = SharedArray<int>.Create(1);
        _pool = new ProcessPool(2);
        Run(10);
    }

    /// <summary>Both workers add <see cref="PerProcess"/> each, at once.</summary>
    [Benchmark(OperationsPerInvoke = 2 * PerProcess)]
    public void LockedIncrementsFromTwoProcesses() => Run(PerProcess);

    /// <summary>Ends the workers and deletes the shared memory.</summary>
    [GlobalCleanup]
    public void Stop()
    {
        _pool?.Dispose();
        _counter?.Dispose();
    }

    private void Run(int perProcess)
    {
        var before = _counter![0];
        var first = _pool!.ApplyAsync(ProcessBenchmarkJobs.AddLocked, [_counter, perProcess]);
        var second = _pool.ApplyAsync(ProcessBenchmarkJobs.AddLocked, [_counter, perProcess]);
        first.Get();
        second.Get();
        if (_counter[0] - before != 2 * perProcess)
        {
            throw new InvalidOperationException($"Increments were lost: {_counter[0] - before} of {2 * perProcess}.");
        }
    }
}
