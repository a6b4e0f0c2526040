using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Threadbook.Introspection;

/// <summary>
/// Watches the OS threads of a process (and, if asked, of its child processes) from <c>/proc</c> about every millisecond,
/// on a thread of its own, and tells for each sample interval whether each thread was on a CPU, ready but waiting for a
/// core, or asleep: the state letter of <c>stat</c> at each sample, confirmed by the run time in <c>schedstat</c> where
/// the kernel has it (see <see cref="CpuSignal"/>). A thread asleep whose run time has not moved for 16 samples is read
/// only every 8th sample until it moves: an unchanged run time proves it did not run in between, so what is lost is the
/// moment it wakes, smeared over at most 8 samples. Threads that live less than a sample may be missed.
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

    // A thread the state letter calls R whose run time has not grown for this long is taken as ready, not running.
    private const double ConfirmWithinNanoseconds = 12e6;

    // An interval whose letter said R, waiting for the run time to confirm it (never leaves the sampler).
    private const CpuState Pending = (CpuState)255;

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
            var end = Stopwatch.GetTimestamp();
            foreach (var watched in _watched)
            {
                Gone(watched, end);
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
            if (watched.StatHandle is null || (watched.QuietFor >= QuietAfter && index % QuietEvery != 0 && !_stopping))
            {
                continue;
            }

            Read(watched, index, now);
        }
    }

    private void Read(Watched watched, int index, long now)
    {
        // The state letter is the fine-grained signal (read at every sample); the run time confirms it: the kernel
        // adds a running thread's run time only at its scheduler ticks (4 ms here) and when it is switched out, so
        // intervals where the letter said R stay pending until the run time next grows (or is seen not to).
        if (!TryRead(watched.StatHandle!, out var length) ||
            !ProcStat.TryParse(Encoding.ASCII.GetString(_buffer, 0, length), out _, out var letter, out _) || letter is 'Z' or 'X')
        {
            Gone(watched, now);
            return;
        }

        long run = 0;
        if (watched.SchedHandle is { } sched &&
            (!TryRead(sched, out length) || !ProcStat.TryParseSchedStat(_buffer.AsSpan(0, length), out run, out _)))
        {
            Gone(watched, now);
            return;
        }

        if (watched.LastSample < 0 || watched.LastSample == index)
        {
            (watched.LastSample, watched.LastRun, watched.GrewAt) = (index, run, index); // a thread found this sample was read already
            return;
        }

        var grew = run > watched.LastRun;
        // Intervals skipped while the thread was quiet: asleep if its run time did not move, else unknown but runnable.
        while (watched.States.Count < index - 1)
        {
            watched.States.Add(grew && letter == 'R' ? Pending : CpuState.Sleeping);
        }

        watched.States.Add(letter == 'R' ? (_runTime ? Pending : CpuState.OnCpu) : CpuState.Sleeping);
        if (grew)
        {
            Resolve(watched, index, run - watched.LastRun, finalRead: false, now);
            watched.GrewAt = index;
        }

        watched.QuietFor = !grew && letter != 'R' ? watched.QuietFor + 1 : 0;
        (watched.LastRun, watched.LastSample) = (run, index);
    }

    /// <summary>
    /// Decides the pending intervals since the run time last grew: on a CPU when the run time grew by at least half their
    /// length (it ran), else ready (runnable, but another thread had the core). At the end, with no growth to wait for,
    /// pending intervals shorter than the confirmation window count as on a CPU.
    /// </summary>
    private void Resolve(Watched watched, int index, long ranNanoseconds, bool finalRead, long now)
    {
        long pending = 0;
        for (var i = watched.GrewAt; i < watched.States.Count; i++)
        {
            pending += watched.States[i] == Pending ? _times[i + 1] - _times[i] : 0;
        }

        if (pending == 0)
        {
            return;
        }

        var pendingNanoseconds = pending * (1e9 / Stopwatch.Frequency);
        var onCpu = finalRead
            ? (now - _times[Math.Min(watched.GrewAt, _times.Count - 1)]) * (1e9 / Stopwatch.Frequency) <= ConfirmWithinNanoseconds
            : ranNanoseconds >= pendingNanoseconds / 2;
        for (var i = watched.GrewAt; i < watched.States.Count; i++)
        {
            if (watched.States[i] == Pending)
            {
                watched.States[i] = onCpu ? CpuState.OnCpu : CpuState.Ready;
            }
        }
    }

    private bool TryRead(SafeFileHandle handle, out int length)
    {
        try
        {
            length = RandomAccess.Read(handle, _buffer, 0);
            return length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            length = 0;
            return false;
        }
    }

    private void Gone(Watched watched, long now)
    {
        if (watched.LastSample >= 0)
        {
            Resolve(watched, watched.States.Count, 0, finalRead: true, now);
        }

        watched.StatHandle?.Dispose();
        watched.SchedHandle?.Dispose();
        watched.StatHandle = null;
        watched.SchedHandle = null;
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
                var watched = new Watched(pid, tid, name, index)
                {
                    StatHandle = File.OpenHandle(Path.Combine(task, "stat"), FileMode.Open, FileAccess.Read),
                    SchedHandle = _runTime ? File.OpenHandle(Path.Combine(task, "schedstat"), FileMode.Open, FileAccess.Read) : null,
                };
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
        foreach (var watched in _watched.Where(w => w.StatHandle is not null).ToArray())
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

    private sealed class Watched(int processId, int threadId, string name, int firstSample)
    {
        public int ProcessId { get; } = processId;

        public int ThreadId { get; } = threadId;

        public string Name { get; } = name;

        public SafeFileHandle? StatHandle { get; set; }

        public SafeFileHandle? SchedHandle { get; set; }

        public int GrewAt { get; set; }

        // Intervals before the thread was first seen are Absent (the default).
        public List<CpuState> States { get; } = Enumerable.Repeat(CpuState.Absent, firstSample).ToList();

        public int LastSample { get; set; } = -1;

        public long LastRun { get; set; }

        public int QuietFor { get; set; }
    }
}
