using System.Diagnostics;
using System.Globalization;
using Threadbook.Rendering;

namespace Threadbook.Introspection;

/// <summary>
/// The threads of the current process at one moment, with the managed thread pool's counters and the
/// runtime's lock-contention count: what <c>#!threads</c> shows.
/// </summary>
public sealed class ProcessThreadsSnapshot : IRenderable
{
    private ProcessThreadsSnapshot(
        int processId,
        string processName,
        DateTimeOffset capturedAt,
        string source,
        IReadOnlyList<OsThreadInfo> threads,
        ThreadPoolCounters threadPool,
        long lockContentionCount)
    {
        ProcessId = processId;
        ProcessName = processName;
        CapturedAt = capturedAt;
        Source = source;
        Threads = threads;
        ThreadPool = threadPool;
        LockContentionCount = lockContentionCount;
    }

    /// <summary>The process's id.</summary>
    public int ProcessId { get; }

    /// <summary>The process's name.</summary>
    public string ProcessName { get; }

    /// <summary>When the snapshot was taken.</summary>
    public DateTimeOffset CapturedAt { get; }

    /// <summary>Where the thread list came from (<c>/proc/self/task</c> or <c>Process.Threads</c>).</summary>
    public string Source { get; }

    /// <summary>Every OS thread of the process, ordered by id.</summary>
    public IReadOnlyList<OsThreadInfo> Threads { get; }

    /// <summary>The managed thread pool's counters.</summary>
    public ThreadPoolCounters ThreadPool { get; }

    /// <summary>How many times a thread has had to wait for a <c>Monitor</c> lock since the process started.</summary>
    public long LockContentionCount { get; }

    /// <summary>Takes a snapshot of the calling process.</summary>
    public static ProcessThreadsSnapshot Capture()
    {
        using var process = Process.GetCurrentProcess();
        IReadOnlyList<OsThreadInfo> threads;
        string source;
        if (LinuxTasks.IsAvailable)
        {
            threads = LinuxTasks.Read();
            source = "/proc/self/task";
        }
        else
        {
            threads = ReadPortable(process);
            source = "Process.Threads";
        }

        return new ProcessThreadsSnapshot(
            process.Id,
            process.ProcessName,
            DateTimeOffset.Now,
            source,
            threads,
            ThreadPoolCounters.Capture(),
            Monitor.LockContentionCount);
    }

    /// <summary>Returns a copy that keeps only the <paramref name="count"/> threads with the most CPU time.</summary>
    public ProcessThreadsSnapshot Top(int count)
    {
        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The number of threads to keep must be at least 1.");
        }

        var busiest = Threads
            .OrderByDescending(t => t.CpuTime ?? TimeSpan.Zero)
            .ThenBy(t => t.OsThreadId)
            .Take(count)
            .ToArray();
        return new ProcessThreadsSnapshot(ProcessId, ProcessName, CapturedAt, Source, busiest, ThreadPool, LockContentionCount);
    }

    private static IReadOnlyList<OsThreadInfo> ReadPortable(Process process)
    {
        var threads = new List<OsThreadInfo>();
        foreach (ProcessThread thread in process.Threads)
        {
            using (thread)
            {
                TimeSpan? cpu;
                string state;
                try
                {
                    cpu = thread.TotalProcessorTime;
                    state = thread.ThreadState.ToString().ToLowerInvariant();
                }
                catch (Exception e) when (e is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
                {
                    cpu = null;
                    state = "unknown";
                }

                threads.Add(new OsThreadInfo(thread.Id, "", state, cpu, null, false));
            }
        }

        return threads;
    }

    private Table ThreadTable() 
    {
        var table = new Table("OS id", "name", "state", "CPU ms", "last core")
        {
            Caption = $"Process {ProcessId} ({ProcessName}): {Threads.Count} OS threads, from {Source}",
        };
        foreach (var t in Threads)
        {
            table.AddRow(
                t.IsCallingThread ? $"{t.OsThreadId} ◀ this cell" : t.OsThreadId.ToString(CultureInfo.InvariantCulture),
                t.Name,
                t.State,
                t.CpuTime is { } cpu ? cpu.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : "n/a",
                t.LastCpu?.ToString(CultureInfo.InvariantCulture) ?? "n/a");
        }

        return table;
    }

    private Table CounterTable() =>
        new Table("thread pool threads", "pending work items", "completed work items", "pool min/max", "Monitor contentions")
            .AddRow(
                ThreadPool.ThreadCount,
                ThreadPool.PendingWorkItemCount,
                ThreadPool.CompletedWorkItemCount,
                $"{ThreadPool.MinWorkerThreads}/{ThreadPool.MaxWorkerThreads}",
                LockContentionCount);

    /// <inheritdoc />
    public string ToHtml() =>
        $"<div class=\"threadbook-threads\">{ThreadTable().ToHtml()}{CounterTable().ToHtml()}</div>";

    /// <inheritdoc />
    public string ToText() => ThreadTable().ToText() + Environment.NewLine + Environment.NewLine + CounterTable().ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();
}
