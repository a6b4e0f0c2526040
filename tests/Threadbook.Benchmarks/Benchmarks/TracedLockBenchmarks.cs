using BenchmarkDotNet.Attributes;
using Threadbook.Threading;

namespace Threadbook.Benchmarks;

/// <summary>
/// Acquiring and releasing a <see cref="TracedLock"/> (Python's plain, non-re-entrant <c>Lock</c>) that no other
/// thread wants, with no trace recording, per acquire+release pair: next to CPython's <c>Lock</c>.
/// </summary>
public class TracedLockBenchmarks
{
    private readonly TracedLock _lock = new("benchmark");

    /// <summary><c>Acquire()</c> then <c>Release()</c>.</summary>
    [Benchmark]
    public void AcquireRelease()
    {
        _lock.Acquire();
        _lock.Release();
    }
}
