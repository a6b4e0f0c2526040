using System.Diagnostics;
using System.Globalization;

namespace Threadbook.Introspection;

/// <summary>
/// What a learner needs to know about a <see cref="Process"/>: id, name, whether it is alive, its exit code and
/// exit time once it has ended, start time, thread count and memory. Taking a summary never throws: a process
/// that has exited, was never started or was disposed yields a summary that says what cannot be known.
/// </summary>
public sealed class ProcessSummary : FactSheet
{
    private const string NoProcess = "unknown: no process is associated (never started, or disposed)";
    private const string Unknown = "unknown (no process)";
    private const string Exited = "n/a (exited)";
    private const string StillRunning = "n/a (still running)";
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss.fff";

    private ProcessSummary(Process process)
    {
        // .NET answers "no process is associated" alike for a Process never started and for a disposed one.
        Id = Probe.Value(() => process.Id);
        HasExited = Probe.Value(() => process.HasExited);
        if (HasExited == false)
        {
            // Process caches what it read; a learner wants the values of now.
            Probe.Attempt(process.Refresh);
        }

        Name = Probe.Reference(() => process.ProcessName);
        StartTime = Probe.Value(() => process.StartTime);
        ExitCode = HasExited == true ? Probe.Value(() => process.ExitCode) : null;
        ExitTime = HasExited == true ? Probe.Value(() => process.ExitTime) : null;
        ThreadCount = HasExited == false ? Probe.Value(() => process.Threads.Count) : null;
        WorkingSetBytes = HasExited == false ? Probe.Value(() => process.WorkingSet64) : null;
        PrivateMemoryBytes = HasExited == false ? Probe.Value(() => process.PrivateMemorySize64) : null;
    }

    /// <summary>The OS process id; null when no process is associated (never started, or disposed).</summary>
    public int? Id { get; }

    /// <summary>The process name; null when it cannot be read (no process, or it has exited).</summary>
    public string? Name { get; }

    /// <summary>True once it has ended; null when no process is associated.</summary>
    public bool? HasExited { get; }

    /// <summary>The exit code, once it has exited.</summary>
    public int? ExitCode { get; }

    /// <summary>When it exited (local time), once it has exited.</summary>
    public DateTime? ExitTime { get; }

    /// <summary>When it started (local time), when that can still be read.</summary>
    public DateTime? StartTime { get; }

    /// <summary>How many OS threads it has, while it runs.</summary>
    public int? ThreadCount { get; }

    /// <summary>Physical memory in use, while it runs.</summary>
    public long? WorkingSetBytes { get; }

    /// <summary>Memory private to the process, while it runs.</summary>
    public long? PrivateMemoryBytes { get; }

    /// <summary>True when it describes the process that took the summary (in a notebook: the kernel).</summary>
    public bool IsCurrentProcess => Id == Environment.ProcessId;

    /// <summary>Summarises <paramref name="process"/> now.</summary>
    public static ProcessSummary Of(Process process)
    {
        ArgumentNullException.ThrowIfNull(process);
        return new ProcessSummary(process);
    }

    /// <inheritdoc />
    protected override string Title =>
        Id is not { } id ? "Process (no process associated)"
        : $"Process {id.ToString(CultureInfo.InvariantCulture)}{(Name is null ? "" : $" \"{Name}\"")}{(IsCurrentProcess ? " (this process)" : "")}";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts()
    {
        // Why a value is missing depends on the state: no process at all (said in full once), or one that has ended.
        var gone = HasExited is null ? Unknown : Exited;
        return
        [
            ("id", Id?.ToString(CultureInfo.InvariantCulture) ?? NoProcess),
            ("name", Name ?? gone),
            ("alive", HasExited switch { false => "yes", true => "no: it has exited", null => Unknown }),
            ("exit code", ExitCode?.ToString(CultureInfo.InvariantCulture) ?? WhileRunning(gone)),
            ("exit time", ExitTime?.ToString(TimeFormat, CultureInfo.InvariantCulture) ?? WhileRunning(gone)),
            ("start time", StartTime?.ToString(TimeFormat, CultureInfo.InvariantCulture) ?? gone),
            ("threads", ThreadCount?.ToString(CultureInfo.InvariantCulture) ?? gone),
            ("working set", Megabytes(WorkingSetBytes) ?? gone),
            ("private memory", Megabytes(PrivateMemoryBytes) ?? gone),
        ];
    }

    private string WhileRunning(string gone) => HasExited == false ? StillRunning : HasExited is null ? gone : "unknown";

    private static string? Megabytes(long? bytes) =>
        bytes is { } b ? (b / 1024.0 / 1024.0).ToString("0.0 'MiB'", CultureInfo.InvariantCulture) : null;
}
