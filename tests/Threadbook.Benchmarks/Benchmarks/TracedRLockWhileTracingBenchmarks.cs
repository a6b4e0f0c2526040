using BenchmarkDotNet.Attributes;
using Threadbook.Threading;
using Threadbook.Tracing;

namespace Threadbook.Benchmarks;

/// <summary>
/// The same uncontended <see cref="TracedRLock"/> acquire+release as <see cref="TracedRLockBenchmarks"/>, with a
/// <see cref="TraceRecorder"/> active, so each pair also appends an <c>Acquired</c> and a <c>Released</c> event to
/// the thread's buffer: the price of watching a lock on the timeline. A recorder keeps at most
/// <see cref="TraceRecorder.MaxEventsPerThread"/> events per thread, so each iteration is one invocation of
/// <see cref="PairsPerInvoke"/> pairs with a fresh recorder, started and stopped outside the measurement.
/// </summary>
[RunOncePerIteration]
public class TracedRLockWhileTracingBenchmarks
{
    /// <summary>Acquire+release pairs per invocation (two events each, well under the per-thread limit).</summary>
    public const int PairsPerInvoke = 200_000;

    private readonly TracedRLock _rlock = new("benchmark-traced");
    private TraceRecorder? _recorder;

    /// <summary>Starts a recorder for the coming iteration.</summary>
    [IterationSetup]
    public void StartRecording() => _recorder = TraceRecorder.Start("benchmark");

    /// <summary><see cref="PairsPerInvoke"/> acquire+release pairs, each recorded.</summary>
    [Benchmark(OperationsPerInvoke = PairsPerInvoke)]
    public void AcquireRelease()
    {
        for (var i = 0; i < PairsPerInvoke; i++)
        {
            _rlock.Acquire();
            _rlock.Release();
        }
    }

    /// <summary>Stops the recorder (building the trace is not measured).</summary>
    [IterationCleanup]
    public void StopRecording()
    {
        _recorder?.Stop();
        _recorder = null;
    }
}
