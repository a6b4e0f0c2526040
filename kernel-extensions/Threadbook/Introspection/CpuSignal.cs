namespace Threadbook.Introspection;

/// <summary>Which of the kernel's reports <see cref="CpuSampler"/> read to decide whether a thread was on a CPU.</summary>
public enum CpuSignal
{
    /// <summary>
    /// The state letter of <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c> at each sample (R = running or ready), confirmed by
    /// <c>schedstat</c>'s nanoseconds on a CPU: R intervals count as on a CPU when the run time grew by at least half
    /// their length by its next update, else as ready (waiting for a core). The run time alone is too coarse: the kernel
    /// adds a running thread's time only at its scheduler ticks (every 4 ms here) and when the thread is switched out.
    /// </summary>
    RunTime,

    /// <summary>
    /// <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c>'s state letter alone (kernels without schedstat): R counts as on a
    /// CPU, though R also means "ready, waiting for a core", so this signal overstates the overlap on a busy machine.
    /// </summary>
    StateLetter,
}
