using System.Diagnostics;
using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class CpuSamplerTests
{
    private static readonly TimeSpan BusyFor = TimeSpan.FromMilliseconds(600);

    [Fact]
    public void two_busy_threads_are_on_a_cpu_together_most_of_the_time()
    {
        var (sampling, tids) = SampleOwnThreads(BusyTogether);

        var lanes = sampling.Only(t => tids.Contains(t.ThreadId));
        lanes.Threads.Select(t => t.ThreadId).Should().BeEquivalentTo(tids);
        lanes.Threads.Should().OnlyContain(t => lanes.TimeIn(t, CpuState.OnCpu) > TimeSpan.Zero);
        // Two free cores let both run at once; a busy machine (the threads mostly ready, waiting for a core) proves nothing.
        if (Environment.ProcessorCount >= 2 && !MostlyWaitingForACore(lanes))
        {
            lanes.OverlapShare.Should().BeGreaterThan(0.5, lanes.ShareSentence);
        }
    }

    [Fact]
    public void two_threads_that_pass_one_baton_are_on_a_cpu_one_at_a_time()
    {
        var (sampling, tids) = SampleOwnThreads(TakingTurns);

        var lanes = sampling.Only(t => tids.Contains(t.ThreadId));
        lanes.Threads.Should().HaveCount(2);
        lanes.BusyTime.Should().BeGreaterThan(TimeSpan.Zero);
        lanes.OverlapShare.Should().BeLessThan(0.25, lanes.ShareSentence);
        lanes.Threads.Should().OnlyContain(t => lanes.TimeIn(t, CpuState.Sleeping) > TimeSpan.Zero, "each sleeps while the other holds the baton");
    }

    [Fact]
    public async Task cpython_threads_take_turns_and_its_processes_do_not()
    {
        if (!File.Exists("/usr/bin/python3"))
        {
            return; // nothing to watch here
        }

        var threads = await SamplePython("""
            import threading
            def cpu():
                x = 0
                for i in range(3_000_000): x += i * i
            ts = [threading.Thread(target=cpu) for _ in range(2)]
            for t in ts: t.start()
            for t in ts: t.join()
            """);
        threads.Threads.Should().HaveCountGreaterThanOrEqualTo(3, "the main thread and two workers");
        threads.OverlapShare.Should().BeLessThan(0.25, threads.ShareSentence);

        var processes = await SamplePython("""
            import multiprocessing as mp
            def cpu(n):
                x = 0
                for i in range(n): x += i * i
                return x
            if __name__ == "__main__":
                with mp.Pool(2) as pool:
                    pool.map(cpu, [6_000_000, 6_000_000])
            """);
        processes.Threads.Select(t => t.ProcessId).Distinct().Should().HaveCountGreaterThanOrEqualTo(3, "the parent and two pool workers");
        if (Environment.ProcessorCount >= 2 && !MostlyWaitingForACore(processes))
        {
            processes.OverlapShare.Should().BeGreaterThan(0.4, processes.ShareSentence);
        }
    }

    [Fact]
    public void the_sampler_costs_a_small_share_of_a_core_and_leaves_itself_out()
    {
        using var sampler = CpuSampler.Start(Environment.ProcessId);
        Thread.Sleep(300);
        var sampling = sampler.Stop();

        sampling.Threads.Should().NotContain(t => t.Name == "threadbook-cpu-sampler");
        sampling.IntervalCount.Should().BeGreaterThan(20);
        sampling.SamplerCpuTime.Should().BeGreaterThan(TimeSpan.Zero);
        sampling.SamplerCost.Should().BeLessThan(0.5, sampling.MethodSentence); // generous: the machine is shared
        sampler.Stop().Should().BeSameAs(sampling);
    }

    [Fact]
    public void a_missing_proc_file_system_is_named_not_thrown_at_random()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-proc-{Guid.NewGuid():N}");

        CpuSampler.Unavailable(missing).Should().Contain(missing);
        var start = () => CpuSampler.Start(Environment.ProcessId, procRoot: missing);
        start.Should().Throw<PlatformNotSupportedException>().WithMessage($"*{missing}*");
    }

    [Fact]
    public void a_process_that_is_not_there_is_a_clear_error()
    {
        var start = () => CpuSampler.Start(int.MaxValue - 1);

        start.Should().Throw<ArgumentException>().WithMessage("*no process*");
    }

    private static bool MostlyWaitingForACore(CpuSampling sampling) =>
        sampling.Threads.Sum(t => sampling.TimeIn(t, CpuState.Ready).TotalSeconds) >
        sampling.Threads.Sum(t => sampling.TimeIn(t, CpuState.OnCpu).TotalSeconds) / 4;

    private static (CpuSampling Sampling, int[] Tids) SampleOwnThreads(Action<int[], int, Barrier> body)
    {
        var tids = new int[2];
        using var ready = new Barrier(3);
        using var sampler = CpuSampler.Start(Environment.ProcessId);
        var threads = Enumerable.Range(0, 2).Select(i => new Thread(() => body(tids, i, ready)) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        ready.SignalAndWait(TimeSpan.FromSeconds(30)).Should().BeTrue();
        foreach (var thread in threads)
        {
            thread.Join(TimeSpan.FromSeconds(60)).Should().BeTrue();
        }

        return (sampler.Stop(), tids);
    }

    private static void BusyTogether(int[] tids, int index, Barrier ready)
    {
        tids[index] = LinuxTasks.CurrentThreadId();
        ready.SignalAndWait();
        Spin(BusyFor);
    }

    private static readonly object BatonGate = new();

    private static void TakingTurns(int[] tids, int index, Barrier ready)
    {
        tids[index] = LinuxTasks.CurrentThreadId();
        ready.SignalAndWait();
        // Like the GIL: whoever holds the baton computes for a while, then hands it over and sleeps until it comes back.
        var clock = Stopwatch.StartNew();
        lock (BatonGate)
        {
            while (clock.Elapsed < BusyFor)
            {
                Spin(TimeSpan.FromMilliseconds(5));
                Monitor.Pulse(BatonGate);
                Monitor.Wait(BatonGate, TimeSpan.FromSeconds(1));
            }

            Monitor.PulseAll(BatonGate);
        }
    }

    private static void Spin(TimeSpan time)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < time)
        {
        }
    }

    private static async Task<CpuSampling> SamplePython(string code)
    {
        var script = Path.Combine(Path.GetTempPath(), $"tb-sampler-{Guid.NewGuid():N}.py");
        await File.WriteAllTextAsync(script, code);
        try
        {
            using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script]) { RedirectStandardOutput = true })!;
            using var sampler = CpuSampler.Start(process.Id, includeChildProcesses: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            process.ExitCode.Should().Be(0);
            return sampler.Stop();
        }
        finally
        {
            File.Delete(script);
        }
    }
}
