using System.Globalization;
using System.Runtime.InteropServices;

namespace Threadbook.Introspection;

/// <summary>Reads a Linux process's threads from /proc/self/task.</summary>
internal static class LinuxTasks
{
    private const string TaskDirectory = "/proc/self/task";
    private const int ClockTicksName = 2; // _SC_CLK_TCK in glibc's unistd.h

    public static bool IsAvailable => OperatingSystem.IsLinux() && Directory.Exists(TaskDirectory);

    /// <summary>The calling thread's kernel TID.</summary>
    public static int CurrentThreadId() => OperatingSystem.IsLinux() ? gettid() : 0;

    public static IReadOnlyList<OsThreadInfo> Read()
    {
        var ticksPerSecond = OperatingSystem.IsLinux() ? sysconf(ClockTicksName) : 100;
        if (ticksPerSecond <= 0)
        {
            ticksPerSecond = 100;
        }

        var current = CurrentThreadId();
        var threads = new List<OsThreadInfo>();
        foreach (var dir in Directory.EnumerateDirectories(TaskDirectory))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var tid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue; // the thread ended between listing and reading: it is simply not in the snapshot
            }
            catch (UnauthorizedAccessException)
            {
                continue;
            }

            if (ParseStat(tid, stat, ticksPerSecond, tid == current) is { } info)
            {
                threads.Add(info);
            }
        }

        threads.Sort((a, b) => a.OsThreadId.CompareTo(b.OsThreadId));
        return threads;
    }

    /// <summary>Parses one line of /proc/[pid]/task/[tid]/stat (see proc(5)).</summary>
    internal static OsThreadInfo? ParseStat(int tid, string stat, long ticksPerSecond, bool isCalling)
    {
        // The name is in parentheses and may itself contain spaces or parentheses, so split at the last ')'.
        var open = stat.IndexOf('(');
        var close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return null;
        }

        var name = stat[(open + 1)..close];
        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 of proc(5): state; utime is field 14, stime 15, processor 39.
        if (fields.Length < 13)
        {
            return null;
        }

        var state = DescribeState(fields[0]);
        TimeSpan? cpu = null;
        if (long.TryParse(fields[11], NumberStyles.None, CultureInfo.InvariantCulture, out var utime) &&
            long.TryParse(fields[12], NumberStyles.None, CultureInfo.InvariantCulture, out var stime))
        {
            cpu = TimeSpan.FromSeconds((utime + stime) / (double)ticksPerSecond);
        }

        int? lastCpu = fields.Length > 36 && int.TryParse(fields[36], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        return new OsThreadInfo(tid, name, state, cpu, lastCpu, isCalling);
    }

    internal static string DescribeState(string code) => code switch
    {
        "R" => "running",
        "S" => "sleeping",
        "D" => "waiting on I/O",
        "Z" => "zombie",
        "T" => "stopped",
        "t" => "traced",
        "X" => "dead",
        "I" => "idle",
        _ => code,
    };

    [DllImport("libc", SetLastError = true)]
    private static extern long sysconf(int name);

    [DllImport("libc")]
    private static extern int gettid();
}
