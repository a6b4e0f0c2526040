using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Threadbook.Introspection;

/// <summary>
/// Watches the OS threads of a process (and, if asked, of its child processes) from <c>/proc</c> about every millisecond,
/// on a thread of its own, and tells for each sample interval whether each thread was on a CPU, ready but waiting for a
/// core, or asleep. The kernel's per-thread run time (<c>schedstat</c>, nanoseconds) decides where it exists; the state
/// letter of <c>stat</c> where it does not (see <see cref="CpuSignal"/>). A thread whose counters have not moved for a
/// while is read less often (every 8th sample): unchanged counters prove it slept in between, so nothing is lost but
/// the moment it wakes, which is smeared over at most 8 samples. Threads that live less than a sample may be missed.
/// <code>
/// using var sampler = CpuSampler.Start(process.Id, includeChildProcesses: true);
/// // … the process runs …
/// var sampling = sampler.Stop();
/// Console.WriteLine(sampling.ShareSentence);
/// </code>
/// </summary>
public sealed class CpuSampler : IDisposable
{
    /// <summary>Where Linux mounts the process file system.</summary>
    public const string DefaultProcRoot = "/proc";

    /// <summary>Time between samples the sampler aims for.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(1);

    private const int RediscoverEvery = 10;
    private const int ChildrenEvery = 25;
    private const int QuietAfter = 16;
    private const int QuietEvery = 8;

    private readonly int _processId;
    private readonly bool _includeChildren;
    private readonly string _procRoot;
    private readonly TimeSpan _interval;
    private readonly bool _runTime;
    private readonly List<long> _times = [];
    private readonly List<Watched> _watched = [];
    private readonly HashSet<(int Pid, int Tid)> _known = [];
    private readonly List<int> _processes = [];
    private readonly Thread _thread;
    private readonly byte[] _buffer = new byte[1024];
    private readonly ManualResetEventSlim _started = new();
    private volatile bool _stopping;
    private int _ownThreadId;
    private TimeSpan _ownCpu;
    private CpuSampling? _result;

    private CpuSampler(int processId, bool includeChildren, string procRoot, TimeSpan interval)
    {
        _processId = processId;
        _includeChildren = includeChildren;
        _procRoot = procRoot;
        _interval = interval;
        _runTime = File.Exists(Path.Combine(procRoot, processId.ToString(CultureInfo.InvariantCulture), "task",
            processId.ToString(CultureInfo.InvariantCulture), "schedstat"));
        _processes.Add(processId);
        _thread = new Thread(Run) { IsBackground = true, Name = "threadbook-cpu-sampler" };
    }

    /// <summary>
    /// Null when threads can be sampled under <paramref name="procRoot"/>; otherwise why not, in one sentence
    /// (not Linux, or no process file system there).
    /// </summary>
    public static string? Unavailable(string procRoot = DefaultProcRoot)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(procRoot);
        if (!OperatingSystem.IsLinux())
        {
            return $"threads can only be sampled on Linux (from /proc); this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
        }

        return File.Exists(Path.Combine(procRoot, "self", "stat"))
            ? null
            : $"no process file system at {procRoot}, so OS threads cannot be sampled";
    }

    /// <summary>
    /// Starts watching process <paramref name="processId"/>'s threads (and its descendants' when
    /// <paramref name="includeChildProcesses"/>), every <paramref name="interval"/> (default about 1 ms). Throws
    /// <see cref="PlatformNotSupportedException"/> when <see cref="Unavailable"/> gives a reason, and
    /// <see cref="ArgumentException"/> when the process is not there.
    /// </summary>
    public static CpuSampler Start(int processId, bool includeChildProcesses = false, TimeSpan? interval = null, string procRoot = DefaultProcRoot)
    {
        if (Unavailable(procRoot) is { } reason)
        {
            throw new PlatformNotSupportedException(reason);
        }

        var every = interval ?? DefaultInterval;
        if (every <= TimeSpan.Zero || every > TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), every, "The sampling interval must be more than 0 and at most 1 s.");
        }

        if (!Directory.Exists(Path.Combine(procRoot, processId.ToString(CultureInfo.InvariantCulture), "task")))
        {
            throw new ArgumentException($"There is no process {processId} to sample (nothing at {procRoot}/{processId}/task).", nameof(processId));
        }

        var sampler = new CpuSampler(processId, includeChildProcesses, procRoot, every);
        sampler._thread.Start();
        sampler._started.Wait(); // the first sample is taken: whatever runs after Start is seen
        return sampler;
    }

    /// <summary>Stops sampling and returns what was seen; calling it again returns the same sampling.</summary>
    public CpuSampling Stop()
    {
        if (_result is null)
        {
            _stopping = true;
            _thread.Join();
            _result = Build();
        }

        return _result;
    }

    /// <summary>Stops sampling if <see cref="Stop"/> was not called, and closes the files.</summary>
    public void Dispose()
    {
        Stop();
        _started.Dispose();
    }

    private void Run()
    {
        _ownThreadId = LinuxTasks.CurrentThreadId();
        var startCpu = OwnCpu();
        var sample = 0;
        try
        {
            while (true)
            {
                Sample(sample++);
                if (sample == 1)
                {
                    _started.Set();
                }

                if (_stopping)
                {
                    break;
                }

                Thread.Sleep(_interval);
            }
        }
        finally
        {
            _started.Set();
            _ownCpu = OwnCpu() - startCpu;
            foreach (var watched in _watched)
            {
                watched.Handle?.Dispose();
            }
        }
    }

    private void Sample(int index)
    {
        var now = Stopwatch.GetTimestamp();
        _times.Add(now);
        if (_includeChildren && index % ChildrenEvery == 0)
        {
            DiscoverChildren();
        }

        if (index % RediscoverEvery == 0)
        {
            foreach (var pid in _processes)
            {
                DiscoverThreads(pid, index);
            }
        }

        foreach (var watched in _watched)
        {
            if (watched.Handle is null || (watched.QuietFor >= QuietAfter && index % QuietEvery != 0 && !_stopping))
            {
                continue;
            }

            Read(watched, index, now);
        }
    }

    private void Read(Watched watched, int index, long now)
    {
        int length;
        try
        {
            length = RandomAccess.Read(watched.Handle!, _buffer, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            length = 0;
        }

        if (length == 0)
        {
            Gone(watched);
            return;
        }

        CpuState state;
        if (_runTime)
        {
            if (!ProcStat.TryParseSchedStat(_buffer.AsSpan(0, length), out var run, out var wait))
            {
                Gone(watched);
                return;
            }

            if (watched.LastSample < 0)
            {
                (watched.LastRun, watched.LastWait, watched.LastSample) = (run, wait, index);
                return;
            }

            var elapsed = (now - _times[watched.LastSample]) * (1e9 / Stopwatch.Frequency);
            double ran = run - watched.LastRun, waited = wait - watched.LastWait;
            state = ran >= elapsed / 2 ? CpuState.OnCpu : ran + waited >= elapsed / 2 ? CpuState.Ready : CpuState.Sleeping;
            watched.QuietFor = ran == 0 && waited == 0 ? watched.QuietFor + 1 : 0;
            (watched.LastRun, watched.LastWait) = (run, wait);
        }
        else
        {
            if (!ProcStat.TryParse(Encoding.ASCII.GetString(_buffer, 0, length), out _, out var letter, out _) || letter is 'Z' or 'X')
            {
                Gone(watched);
                return;
            }

            if (watched.LastSample < 0)
            {
                watched.LastSample = index;
                return;
            }

            state = letter == 'R' ? CpuState.OnCpu : CpuState.Sleeping;
        }

        while (watched.States.Count < index)
        {
            watched.States.Add(state);
        }

        watched.LastSample = index;
    }

    private static void Gone(Watched watched)
    {
        watched.Handle?.Dispose();
        watched.Handle = null;
    }

    private void DiscoverThreads(int pid, int index)
    {
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.GetDirectories(Path.Combine(_procRoot, pid.ToString(CultureInfo.InvariantCulture), "task"));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return; // the process ended
        }

        foreach (var task in tasks)
        {
            if (!int.TryParse(Path.GetFileName(task), NumberStyles.None, CultureInfo.InvariantCulture, out var tid) ||
                (pid == Environment.ProcessId && tid == _ownThreadId) || !_known.Add((pid, tid)))
            {
                continue;
            }

            try
            {
                var name = ProcStat.TryParse(File.ReadAllText(Path.Combine(task, "stat")), out var comm, out _, out _) ? comm : "";
                var handle = File.OpenHandle(Path.Combine(task, _runTime ? "schedstat" : "stat"), FileMode.Open, FileAccess.Read);
                var watched = new Watched(pid, tid, name, handle, index);
                _watched.Add(watched);
                Read(watched, index, _times[index]);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The thread ended between the listing and the read: it was never seen.
            }
        }
    }

    private void DiscoverChildren()
    {
        foreach (var watched in _watched.Where(w => w.Handle is not null).ToArray())
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(_procRoot, watched.ProcessId.ToString(CultureInfo.InvariantCulture), "task",
                    watched.ThreadId.ToString(CultureInfo.InvariantCulture), "children"));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var word in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var child) && !_processes.Contains(child))
                {
                    _processes.Add(child);
                }
            }
        }
    }

    private TimeSpan OwnCpu()
    {
        var task = Path.Combine(_procRoot, "self", "task", _ownThreadId.ToString(CultureInfo.InvariantCulture));
        try
        {
            if (_runTime && ProcStat.TryParseSchedStat(File.ReadAllBytes(Path.Combine(task, "schedstat")), out var run, out _))
            {
                return TimeSpan.FromTicks(run / 100);
            }

            return ProcStat.TryParse(File.ReadAllText(Path.Combine(task, "stat")), out _, out _, out var ticks)
                ? TimeSpan.FromSeconds(ticks / 100.0)
                : TimeSpan.Zero;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return TimeSpan.Zero;
        }
    }

    private CpuSampling Build()
    {
        var intervals = Math.Max(0, _times.Count - 1);
        var threads = _watched
            .Where(w => w.LastSample >= 0)
            .Select(w =>
            {
                var states = new CpuState[intervals];
                for (var i = 0; i < Math.Min(intervals, w.States.Count); i++)
                {
                    states[i] = w.States[i];
                }

                return new SampledThread(w.ProcessId, w.ThreadId, w.Name, states);
            })
            .ToArray();
        return new CpuSampling(_times.ToArray(), threads, _runTime ? CpuSignal.RunTime : CpuSignal.StateLetter, _ownCpu);
    }

    private sealed class Watched(int processId, int threadId, string name, SafeFileHandle handle, int firstSample)
    {
        public int ProcessId { get; } = processId;

        public int ThreadId { get; } = threadId;

        public string Name { get; } = name;

        public SafeFileHandle? Handle { get; set; } = handle;

        // Intervals before the thread was first seen are Absent (the default).
        public List<CpuState> States { get; } = Enumerable.Repeat(CpuState.Absent, firstSample).ToList();

        public int LastSample { get; set; } = -1;

        public long LastRun { get; set; }

        public long LastWait { get; set; }

        public int QuietFor { get; set; }
    }
}
