namespace Threadbook.Introspection;

/// <summary>Which of the kernel's reports <see cref="CpuSampler"/> read to decide whether a thread was on a CPU.</summary>
public enum CpuSignal
{
    /// <summary>
    /// <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/schedstat</c>: nanoseconds on a CPU and nanoseconds waiting for one. A thread
    /// counts as on a CPU in an interval when its run time grew by at least half the interval.
    /// </summary>
    RunTime,

    /// <summary>
    /// <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/stat</c>'s state letter at each sample (kernels without schedstat): R counts as
    /// on a CPU, though R also means "ready, waiting for a core", so this signal overstates the overlap on a busy machine.
    /// </summary>
    StateLetter,
}
