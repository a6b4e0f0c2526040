namespace Threadbook.Introspection;

/// <summary>What a sampled OS thread did during one sample interval (see <see cref="CpuSampler"/>).</summary>
public enum CpuState : byte
{
    /// <summary>The thread did not exist (not yet seen, or already gone).</summary>
    Absent,

    /// <summary>On a CPU for at least half the interval.</summary>
    OnCpu,

    /// <summary>Ready to run but mostly waiting for a core another thread had (Linux: runnable, not running).</summary>
    Ready,

    /// <summary>Asleep in the kernel most of the interval: waiting for a lock, the GIL, an event, I/O or time.</summary>
    Sleeping,
}
