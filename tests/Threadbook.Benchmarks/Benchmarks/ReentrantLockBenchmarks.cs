using BenchmarkDotNet.Attributes;

namespace Threadbook.Benchmarks;

/// <summary>
/// Acquiring and releasing a lock that no other thread wants, per acquire+release pair. Both C# locks here
/// are re-entrant, like the notes' <c>threading.RLock</c>: <c>lock (obj)</c> (a <see cref="Monitor"/> on any
/// object, the idiom the notebooks teach first) and <see cref="System.Threading.Lock"/> (the dedicated type
/// of .NET 9+). The uncontended path is what every correct program pays on each critical section, so it
/// is the fair first comparison with CPython's <c>acquire()</c>/<c>release()</c>.
/// </summary>
public class ReentrantLockBenchmarks
{
    private readonly object _monitorTarget = new();
    private readonly Lock _lock = new();

    /// <summary><c>lock (obj) { }</c>: <see cref="Monitor.Enter(object, ref bool)"/> and <see cref="Monitor.Exit"/>.</summary>
    [Benchmark]
    public void MonitorLock()
    {
        lock (_monitorTarget)
        {
        }
    }

    /// <summary><c>lock (l) { }</c> on a <see cref="System.Threading.Lock"/>: <see cref="Lock.EnterScope"/> and its dispose.</summary>
    [Benchmark]
    public void SystemThreadingLock()
    {
        lock (_lock)
        {
        }
    }
}
