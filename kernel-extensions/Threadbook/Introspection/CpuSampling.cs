using System.Diagnostics;
using System.Globalization;

namespace Threadbook.Introspection;

/// <summary>
/// What <see cref="CpuSampler"/> saw: every watched OS thread's state in every sample interval, and the one number that
/// shows a GIL: <see cref="OverlapShare"/>, the share of the busy time (when at least one thread was on a CPU) in which
/// two or more were on a CPU at once. Never changes after it is made; <see cref="Only"/> and <see cref="Renamed"/> make
/// new ones.
/// </summary>
public sealed class CpuSampling
{
    private readonly long[] _times;

    internal CpuSampling(long[] sampleTimes, IReadOnlyList<SampledThread> threads, CpuSignal signal, TimeSpan samplerCpuTime)
    {
        _times = sampleTimes;
        Threads = threads;
        Signal = signal;
        SamplerCpuTime = samplerCpuTime;
        long busy = 0, overlap = 0;
        for (var i = 0; i < IntervalCount; i++)
        {
            var onCpu = 0;
            foreach (var thread in threads)
            {
                onCpu += thread.StateArray[i] == CpuState.OnCpu ? 1 : 0;
            }

            var length = _times[i + 1] - _times[i];
            busy += onCpu >= 1 ? length : 0;
            overlap += onCpu >= 2 ? length : 0;
            MostOnCpuAtOnce = Math.Max(MostOnCpuAtOnce, onCpu);
        }

        BusyTime = Ticks(busy);
        OverlapTime = Ticks(overlap);
    }

    /// <summary>The moments the sampler looked, in <see cref="Stopwatch"/> ticks; interval <c>i</c> runs from sample <c>i</c> to <c>i + 1</c>.</summary>
    public IReadOnlyList<long> SampleTimes => _times;

    /// <summary>Every watched thread, in the order first seen.</summary>
    public IReadOnlyList<SampledThread> Threads { get; }

    /// <summary>Which kernel report decided "on a CPU".</summary>
    public CpuSignal Signal { get; }

    /// <summary>How many sample intervals there are.</summary>
    public int IntervalCount => Math.Max(0, _times.Length - 1);

    /// <summary>From the first sample to the last.</summary>
    public TimeSpan Duration => _times.Length < 2 ? TimeSpan.Zero : Ticks(_times[^1] - _times[0]);

    /// <summary>The mean time between samples.</summary>
    public TimeSpan MeanInterval => IntervalCount == 0 ? TimeSpan.Zero : Duration / IntervalCount;

    /// <summary>CPU time the sampler's own thread used.</summary>
    public TimeSpan SamplerCpuTime { get; }

    /// <summary>The sampler's cost: its CPU time per second of sampling (0.02 = 2 % of one core).</summary>
    public double SamplerCost => Duration > TimeSpan.Zero ? SamplerCpuTime / Duration : 0;

    /// <summary>Time in which at least one watched thread was on a CPU.</summary>
    public TimeSpan BusyTime { get; }

    /// <summary>Time in which two or more watched threads were on a CPU at once.</summary>
    public TimeSpan OverlapTime { get; }

    /// <summary>
    /// <see cref="OverlapTime"/> / <see cref="BusyTime"/>: near 0 when threads take turns (CPython's GIL), near 1 when two
    /// of them run together the whole time; null when no thread was ever on a CPU.
    /// </summary>
    public double? OverlapShare => BusyTime > TimeSpan.Zero ? OverlapTime / BusyTime : null;

    /// <summary>
    /// Of the time the watched threads wanted a CPU (on a CPU or ready), the share they spent ready, waiting for a core:
    /// near 0 when the cores were free for them; high when other programs had the cores, so a low
    /// <see cref="OverlapShare"/> then says nothing about the watched program. Null when no thread wanted a CPU.
    /// </summary>
    public double? WaitingForCoreShare
    {
        get
        {
            long onCpu = 0, ready = 0;
            foreach (var thread in Threads)
            {
                onCpu += TimeIn(thread, CpuState.OnCpu).Ticks;
                ready += TimeIn(thread, CpuState.Ready).Ticks;
            }

            return onCpu + ready > 0 ? (double)ready / (onCpu + ready) : null;
        }
    }

    /// <summary>The most watched threads seen on a CPU in one interval.</summary>
    public int MostOnCpuAtOnce { get; }

    /// <summary>"2 or more threads on a CPU at once: 3% of the 1.20 s when any was": the number, in words.</summary>
    public string ShareSentence => OverlapShare is { } share
        ? string.Create(CultureInfo.InvariantCulture,
            $"two or more threads on a CPU at once: {share * 100:0}% of the {Seconds(BusyTime)} when at least one was (at most {MostOnCpuAtOnce} at once)")
        : "no watched thread was seen on a CPU";

    /// <summary>How the sampling was done and what it cost, in one sentence.</summary>
    public string MethodSentence => string.Create(CultureInfo.InvariantCulture,
        $"{IntervalCount:N0} samples every {MeanInterval.TotalMilliseconds:0.0} ms from /proc ({(Signal == CpuSignal.RunTime ? "state R, confirmed by the run time in schedstat" : "state letter: R = running or ready")}); " +
        $"the sampler used {SamplerCost * 100:0.0}% of a core");

    /// <summary>Time <paramref name="thread"/> spent in <paramref name="state"/>.</summary>
    public TimeSpan TimeIn(SampledThread thread, CpuState state)
    {
        ArgumentNullException.ThrowIfNull(thread);
        long ticks = 0;
        for (var i = 0; i < IntervalCount; i++)
        {
            ticks += thread.StateArray[i] == state ? _times[i + 1] - _times[i] : 0;
        }

        return Ticks(ticks);
    }

    /// <summary>The same sampling for only the threads <paramref name="keep"/> accepts (the share is computed again).</summary>
    public CpuSampling Only(Func<SampledThread, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        return new CpuSampling(_times, Threads.Where(keep).ToArray(), Signal, SamplerCpuTime);
    }

    /// <summary>The same sampling with the threads <paramref name="nameOf"/> names (null keeps a thread's name) renamed.</summary>
    public CpuSampling Renamed(Func<SampledThread, string?> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        return new CpuSampling(_times, Threads.Select(t => nameOf(t) is { } name ? t.WithName(name) : t).ToArray(), Signal, SamplerCpuTime);
    }

    /// <summary>
    /// The threads to draw when there are more than <paramref name="maxLanes"/>: the busiest <c>maxLanes - 1</c>, then one
    /// lane standing for all the others (on a CPU in an interval when any of them was, else ready when any was, else
    /// sleeping when any was). Returns the threads unchanged when they fit; <paramref name="folded"/> says how many were folded.
    /// </summary>
    public IReadOnlyList<SampledThread> Lanes(int maxLanes, out int folded)
    {
        if (maxLanes < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLanes), maxLanes, "At least two lanes: the busiest thread and the folded rest.");
        }

        folded = 0;
        if (Threads.Count <= maxLanes)
        {
            return Threads;
        }

        var busiest = Threads.Select((t, order) => (Thread: t, Order: order, OnCpu: TimeIn(t, CpuState.OnCpu)))
            .OrderByDescending(x => x.OnCpu).ThenBy(x => x.Order).ToArray();
        var kept = busiest.Take(maxLanes - 1).OrderBy(x => x.Order).Select(x => x.Thread).ToList();
        var rest = busiest.Skip(maxLanes - 1).Select(x => x.Thread).ToArray();
        var states = new CpuState[IntervalCount];
        for (var i = 0; i < states.Length; i++)
        {
            var best = CpuState.Absent;
            foreach (var thread in rest)
            {
                var state = thread.StateArray[i];
                // Absent < OnCpu < Ready < Sleeping by value; rank OnCpu first, then Ready, then Sleeping.
                if (state != CpuState.Absent && (best == CpuState.Absent || state < best))
                {
                    best = state;
                }
            }

            states[i] = best;
        }

        folded = rest.Length;
        kept.Add(new SampledThread(rest[0].ProcessId, 0, $"{rest.Length} more threads (folded)", states));
        return kept;
    }

    private static TimeSpan Ticks(long stopwatchTicks) => TimeSpan.FromSeconds(stopwatchTicks / (double)Stopwatch.Frequency);

    private static string Seconds(TimeSpan time) =>
        time.TotalSeconds >= 1 ? $"{time.TotalSeconds:0.00} s" : $"{time.TotalMilliseconds:0} ms";
}
