using BenchmarkDotNet.Attributes;
using Threadbook.Processes;

namespace Threadbook.Benchmarks;

/// <summary>
/// Two processes set entries of one <see cref="SharedDictionary"/> at the same time — the notes'
/// <c>Manager().dict()</c> written from children. The dictionary lives in this process; each pool worker (started
/// once) holds a proxy and sets 2,000 entries (100 integer keys of its own, cycling; integer values), each set a round
/// trip to this process. It is the C# side of two <c>Pool</c> workers setting entries of a <c>Manager().dict()</c>
/// proxy, whose owner is the manager's server process. The result is per set.
/// </summary>
public class SharedDictionarySetBenchmarks
{
    /// <summary>Sets per process per invocation.</summary>
    public const int PerProcess = 2_000;

    private ProcessPool? _pool;
    private SharedDictionary? _dictionary;

    /// <summary>Creates the dictionary and the pool of two, and runs one small round so the workers hold their proxies.</summary>
    [GlobalSetup]
    public void Start()
    {
        _dictionary = SharedDictionary.Create();
        _pool = new ProcessPool(2);
        Run(10);
    }

    /// <summary>Both workers set <see cref="PerProcess"/> entries each, at once.</summary>
    [Benchmark(OperationsPerInvoke = 2 * PerProcess)]
    public void SetsFromTwoProcesses() => Run(PerProcess);

    /// <summary>Ends the workers and stops serving the dictionary.</summary>
    [GlobalCleanup]
    public void Stop()
    {
        _pool?.Dispose();
        _dictionary?.Dispose();
    }

    private void Run(int perProcess)
    {
        var first = _pool!.ApplyAsync(ProcessBenchmarkJobs.SetMany, [_dictionary, 0, perProcess]);
        var second = _pool.ApplyAsync(ProcessBenchmarkJobs.SetMany, [_dictionary, 100, perProcess]);
        first.Get();
        second.Get();
    }
}
