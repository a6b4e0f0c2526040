namespace Threadbook.Introspection;

/// <summary>One OS thread as <see cref="CpuSampler"/> saw it: what it did in every sample interval of the sampling.</summary>
public sealed class SampledThread
{
    private readonly CpuState[] _states;

    internal SampledThread(int processId, int threadId, string name, CpuState[] states)
    {
        ProcessId = processId;
        ThreadId = threadId;
        Name = name;
        _states = states;
    }

    /// <summary>The process the thread belongs to.</summary>
    public int ProcessId { get; }

    /// <summary>The kernel's thread id (TID; the process id for a main thread).</summary>
    public int ThreadId { get; }

    /// <summary>The thread's name: the name the program gave it when known, else the kernel's (<c>comm</c>).</summary>
    public string Name { get; }

    /// <summary>
    /// What the thread did in each interval, one entry per interval of <see cref="CpuSampling.SampleTimes"/> (interval
    /// <c>i</c> runs from sample <c>i</c> to sample <c>i + 1</c>); <see cref="CpuState.Absent"/> before it was first seen
    /// and after it ended.
    /// </summary>
    public IReadOnlyList<CpuState> States => _states;

    internal CpuState[] StateArray => _states;

    /// <summary>A copy with another name.</summary>
    public SampledThread WithName(string name) => new(ProcessId, ThreadId, name, _states);
}
