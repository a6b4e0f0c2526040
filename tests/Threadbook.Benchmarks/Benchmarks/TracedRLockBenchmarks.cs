using BenchmarkDotNet.Attributes;
using Threadbook.Threading;

namespace Threadbook.Benchmarks;

/// <summary>
/// Acquiring and releasing a <see cref="TracedRLock"/> that no other thread wants, with no trace recording,
/// per acquire+release pair: what the learner's traced lock costs on every critical section next to a plain
/// <c>lock</c> (<see cref="ReentrantLockBenchmarks.MonitorLock"/>) and CPython's <c>RLock</c>. The goal is at
/// most about 100 ns more than <c>lock</c>.
/// </summary>
public class TracedRLockBenchmarks
{
    private readonly TracedRLock _rlock = new("benchmark");

    /// <summary><c>Acquire()</c> then <c>Release()</c>.</summary>
    [Benchmark]
    public void AcquireRelease()
    {
        _rlock.Acquire();
        _rlock.Release();
    }

    /// <summary><c>using (rlock.Hold()) { }</c>, the form the notebooks teach.</summary>
    [Benchmark]
    public void HoldScope()
    {
        using (_rlock.Hold())
        {
        }
    }
}
