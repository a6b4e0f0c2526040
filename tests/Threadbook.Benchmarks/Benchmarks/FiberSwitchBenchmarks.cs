using BenchmarkDotNet.Attributes;
using Threadbook.Fibers;

namespace Threadbook.Benchmarks;

/// <summary>
/// Two fibers handing control back and forth with <see cref="Fiber.Switch"/>: the benchmark's thread (its main
/// fiber) switches to a partner fiber, which switches straight back. It is the C# side of two greenlets playing
/// ping-pong with <c>switch()</c>, the notes' greenlet example reduced to its switches. A <see cref="Fiber"/> runs on
/// a thread of its own, so one switch is a hand-off between two threads: while a core is free the parked thread is
/// still spinning and answers in about a cache-line transfer; on a busy machine it has gone to sleep and the
/// kernel must wake it. The result is per switch (two per round trip).
/// </summary>
public class FiberSwitchBenchmarks
{
    /// <summary>Switches per benchmark invocation (half of them there, half back); BenchmarkDotNet divides by it.</summary>
    public const int SwitchesPerInvoke = 2_000;

    private Fiber? _partner;

    /// <summary>Starts the partner fiber, which from then on answers every switch with a switch back.</summary>
    [GlobalSetup]
    public void StartPartner() => EnsurePartner();

    /// <summary>Plays <see cref="SwitchesPerInvoke"/> / 2 round trips with the partner.</summary>
    [Benchmark(OperationsPerInvoke = SwitchesPerInvoke)]
    public void PingPong()
    {
        var partner = EnsurePartner();
        for (var i = 0; i < SwitchesPerInvoke / 2; i++)
        {
            partner.Switch();
        }
    }

    /// <summary>Ends the partner and waits for its thread, so no thread outlives the benchmark.</summary>
    [GlobalCleanup]
    public void StopPartner()
    {
        if (_partner is { } partner && ReferenceEquals(partner.Parent, Fiber.Current))
        {
            partner.Dispose();
        }

        _partner = null;
    }

    // A fiber belongs to the thread that created it: make the partner on the thread that runs the benchmark.
    private Fiber EnsurePartner()
    {
        var main = Fiber.Current;
        if (_partner is { } existing && ReferenceEquals(existing.Parent, main))
        {
            return existing;
        }

        var partner = new Fiber(() =>
        {
            while (true)
            {
                main.Switch();
            }
        }, "partner");
        partner.Switch();
        _partner = partner;
        return partner;
    }
}
