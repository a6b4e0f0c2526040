using BenchmarkDotNet.Attributes;

namespace Threadbook.Benchmarks;

/// <summary>
/// The cost of one dedicated thread from creation to its end: <c>new Thread(() =&gt; { })</c>,
/// <see cref="Thread.Start()"/>, <see cref="Thread.Join()"/>, one thread at a time. It is the C# side of the
/// notes' <c>threading.Thread(target=f)</c>, <c>start()</c>, <c>join()</c>, and tells a learner what a
/// thread per task costs before the pool is introduced. The result is per thread.
/// </summary>
public class ThreadStartJoinBenchmarks
{
    /// <summary>Creates, starts and joins one thread whose body does nothing.</summary>
    [Benchmark]
    public void StartAndJoin()
    {
        var thread = new Thread(static () => { });
        thread.Start();
        thread.Join();
    }
}
