using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Threadbook.Hosting;

/// <summary>
/// An operating-system process that this process starts and watches: the one place in Threadbook that starts one.
/// Set it up (program, arguments, environment, working directory, what it reads as input, who gets its lines), then
/// <see cref="Start"/> it.
/// </summary>
/// <remarks>
/// What it guarantees:
/// <list type="bullet">
/// <item>Every line the program writes to standard output and standard error (read as UTF-8) reaches
/// <see cref="LineReceived"/> as soon as it is written, on a background thread, in order within each stream (the two
/// streams are read apart, so a line of one may come before an earlier line of the other). An exception the callback
/// throws is dropped: it must not stop the reader of the next line, nor end this process.</item>
/// <item>The last lines of standard error are always kept (<see cref="StandardErrorTail"/>), for a message about a
/// program that failed; with <see cref="CaptureOutput"/> all of both streams are kept too.</item>
/// <item>Standard input is an empty pipe unless <see cref="Input"/> says otherwise, so the program never reads this
/// process's own input (in a notebook kernel that is the protocol stream).</item>
/// <item><see cref="Kill"/> ends the whole process tree: the program and every process it started that is still its
/// descendant (one that left the tree, say by a double fork, cannot be found).</item>
/// <item><see cref="WaitForExit"/> and <see cref="WaitForExitAsync"/> return once the program ended and its output was
/// read, waiting at most 2 s for output after the exit: a grandchild that inherited the pipes can hold them open.</item>
/// <item><see cref="DescribeExit"/> says how it ended for people, naming the signal that killed it on Unix (where .NET
/// reports a process killed by signal N as exit code 128 + N; on Windows such codes are plain exit codes).</item>
/// <item><see cref="Dispose"/> kills the tree if the program still runs and waits (up to 5 s) for it to end, so nothing
/// is left running.</item>
/// </list>
/// </remarks>
public sealed class ObservedProcess : IDisposable
{
    private const int StandardErrorLinesKept = 20;
    private const int NotStarted = 0;
    private const int Running = 1;
    private const int CouldNotStart = 2;
    private const int LinuxSigStop = 19;
    private static readonly TimeSpan OutputLag = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DisposeWait = TimeSpan.FromSeconds(5);

    private readonly Process _process = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _errorTail = new();
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private int _state = NotStarted;
    private int _streamsOpen = 2;
    private int _pid;
    private int _exitCode;
    private volatile bool _exitCodeKnown; // set after _exitCode: a nullable int is not read or written atomically
    private int _disposed;

    /// <summary>Sets up a process that will run <paramref name="fileName"/> (a path, or a name looked up on <c>PATH</c>) with <paramref name="arguments"/>; <see cref="Start"/> starts it.</summary>
    public ObservedProcess(string fileName, IEnumerable<string> arguments)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        FileName = fileName;
        Arguments = [.. arguments];
    }

    /// <summary>The program to run.</summary>
    public string FileName { get; }

    /// <summary>Its arguments, each passed as one argument (no shell splitting or quoting).</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>The folder it runs in; null means this process's current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Variables to set in its environment (on top of this process's); a null value removes the variable. Read at <see cref="Start"/>.</summary>
    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    /// <summary>What it reads as standard input (default: <see cref="ProcessInput.Empty"/>).</summary>
    public ProcessInput Input { get; init; } = ProcessInput.Empty;

    /// <summary>Gets each line it writes, as it writes it, on a background thread (see the remarks).</summary>
    public Action<OutputLine>? LineReceived { get; init; }

    /// <summary>Runs once when the process has ended (its last lines may still be on their way), on a background thread. It must not throw.</summary>
    public Action? Exited { get; init; }

    /// <summary>Whether to keep everything it writes (<see cref="CapturedOutput"/>, <see cref="CapturedError"/>); default false.</summary>
    public bool CaptureOutput { get; init; }

    /// <summary>
    /// Whether the caller reads standard output itself, line by line on its own thread (<see cref="ReadOutputLine"/>);
    /// default false. For a conversation with the program where a reply must be seen the moment it is written: lines
    /// delivered by <see cref="LineReceived"/> come through the thread pool, which a busy machine can keep waiting for
    /// milliseconds. Standard error is still delivered and kept as usual; standard output then reaches neither
    /// <see cref="LineReceived"/> nor <see cref="CapturedOutput"/>.
    /// </summary>
    public bool ReadsOutputItself { get; init; }

    /// <summary>Its process id; 0 before it started.</summary>
    public int Pid
    {
        get
        {
            if (_pid == 0 && Volatile.Read(ref _state) != NotStarted)
            {
                _pid = Probe(() => _process.Id, 0);
            }

            return _pid;
        }
    }

    /// <summary>When it was started (<see cref="Stopwatch"/> ticks, taken just before the start); 0 before.</summary>
    public long StartTimestamp { get; private set; }

    /// <summary>True once it ended (and when it could not start); false before <see cref="Start"/>.</summary>
    public bool HasExited => Volatile.Read(ref _state) switch
    {
        NotStarted => false,
        CouldNotStart => true,
        _ => _exited.Task.IsCompleted || Probe(() => _process.HasExited, true),
    };

    /// <summary>Its exit code once it ended, else null. On Unix, 128 + N when signal N killed it (see <see cref="DescribeExit"/>).</summary>
    public int? ExitCode => _exitCodeKnown ? _exitCode : (HasExited && Volatile.Read(ref _state) == Running ? Probe<int?>(() => _process.ExitCode, null) : null);

    /// <summary>The last lines (up to 20) it wrote to standard error, one per line.</summary>
    public string StandardErrorTail
    {
        get
        {
            lock (_errorTail)
            {
                return string.Join("\n", _errorTail);
            }
        }
    }

    /// <summary>Everything it wrote to standard output so far, each line ended by <c>\n</c>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="CaptureOutput"/> is off.</exception>
    public string CapturedOutput => Captured(_output);

    /// <summary>Everything it wrote to standard error so far, each line ended by <c>\n</c>.</summary>
    /// <exception cref="InvalidOperationException"><see cref="CaptureOutput"/> is off.</exception>
    public string CapturedError => Captured(_error);

    /// <summary>Its standard input, to write to (with <see cref="ProcessInput.Pipe"/>; UTF-8); closing it gives the program end-of-file.</summary>
    /// <exception cref="InvalidOperationException">It has not started, or <see cref="Input"/> is not <see cref="ProcessInput.Pipe"/>.</exception>
    public StreamWriter StandardInput =>
        Input == ProcessInput.Pipe && Volatile.Read(ref _state) == Running
            ? _process.StandardInput
            : throw new InvalidOperationException($"The standard input of '{FileName}' is not a pipe to write to (Input is {Input}, or it has not started).");

    /// <summary>Reads the next line of standard output, blocking until there is one; null at its end.</summary>
    /// <exception cref="InvalidOperationException"><see cref="ReadsOutputItself"/> is off, or it has not started.</exception>
    public string? ReadOutputLine() =>
        ReadsOutputItself && Volatile.Read(ref _state) == Running
            ? _process.StandardOutput.ReadLine()
            : throw new InvalidOperationException($"The output of '{FileName}' is read by ObservedProcess itself: set ReadsOutputItself to read it line by line.");

    /// <summary>Starts the program and begins reading its output; returns this.</summary>
    /// <exception cref="Win32Exception">It could not start (say, no such program): the message names it and says why.</exception>
    /// <exception cref="InvalidOperationException">It was started before, or disposed.</exception>
    public ObservedProcess Start()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) == 1, this);
        if (Interlocked.CompareExchange(ref _state, Running, NotStarted) != NotStarted)
        {
            throw new InvalidOperationException($"'{FileName}' was started already: an ObservedProcess starts once.");
        }

        var start = new ProcessStartInfo(FileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = Input != ProcessInput.Inherited,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = WorkingDirectory ?? "",
        };
        if (Input == ProcessInput.Pipe)
        {
            start.StandardInputEncoding = new UTF8Encoding(false);
        }

        foreach (var argument in Arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        _process.StartInfo = start;
        _process.EnableRaisingEvents = true;
        _process.OutputDataReceived += (_, e) => Received(OutputLine.StandardOutput, e.Data);
        _process.ErrorDataReceived += (_, e) => Received(OutputLine.StandardError, e.Data);
        _process.Exited += (_, _) => OnExited();
        StartTimestamp = Stopwatch.GetTimestamp();
        try
        {
            _process.Start();
        }
        catch (Exception e)
        {
            Volatile.Write(ref _state, CouldNotStart);
            if (e is Win32Exception failure)
            {
                var folder = WorkingDirectory is null ? "" : $" in {WorkingDirectory}";
                throw new Win32Exception(failure.NativeErrorCode, $"Could not start '{FileName}'{folder}: {new Win32Exception(failure.NativeErrorCode).Message}.");
            }

            throw;
        }

        _ = Pid; // read now: the OS process's id cannot be read once it is disposed
        if (Input == ProcessInput.Empty)
        {
            _process.StandardInput.Close();
        }

        if (ReadsOutputItself)
        {
            Received(OutputLine.StandardOutput, null); // the caller reads it: only standard error's end is awaited
        }
        else
        {
            _process.BeginOutputReadLine();
        }

        _process.BeginErrorReadLine();
        return this;
    }

    /// <summary>Waits until it ended and its output was read (see the remarks); false when <paramref name="timeout"/> passed first (it then still runs).</summary>
    /// <exception cref="InvalidOperationException">It has not started.</exception>
    public bool WaitForExit(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (timeout == System.Threading.Timeout.InfiniteTimeSpan ? long.MaxValue / 2 : (long)(timeout.TotalSeconds * Stopwatch.Frequency));
        if (!ExitTask().Wait(timeout))
        {
            return false;
        }

        var left = TimeSpan.FromSeconds(Math.Max(0, (double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency));
        _outputEnded.Task.Wait(left < OutputLag ? left : OutputLag);
        return true;
    }

    /// <summary>Waits until it ended and its output was read (see the remarks).</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled first (it then still runs: <see cref="Kill"/> or <see cref="Dispose"/> it).</exception>
    /// <exception cref="InvalidOperationException">It has not started.</exception>
    public async Task WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await ExitTask().WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _outputEnded.Task.WaitAsync(OutputLag, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // a grandchild holds the pipes open: its lines are not waited for
        }
    }

    /// <summary>Kills the whole process tree (SIGKILL on Unix); no-op when it has ended or never started. Does not wait: see <see cref="WaitForExit"/>.</summary>
    public void Kill()
    {
        if (Volatile.Read(ref _state) != Running)
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsLinux() && StopIfChildless(Pid))
            {
                _process.Kill();
                return;
            }

            _process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException or AggregateException)
        {
            // it (or a descendant) ended meanwhile
        }
    }

    /// <summary>How it ended, for people: "exited normally (code 0)", "exited with code 3", "was killed by SIGKILL (signal 9, exit code 137)", "is still running".</summary>
    public string DescribeExit() => Volatile.Read(ref _state) switch
    {
        NotStarted => "has not started",
        CouldNotStart => "could not start",
        _ => ExitCode is { } code ? DescribeExitCode(code) : "is still running",
    };

    /// <summary>Says what exit code <paramref name="exitCode"/> means, as <see cref="DescribeExit"/> does.</summary>
    public static string DescribeExitCode(int exitCode) => exitCode switch
    {
        0 => "exited normally (code 0)",
        > 128 and < 160 when !OperatingSystem.IsWindows() => DescribeSignal(exitCode - 128, exitCode),
        _ => $"exited with code {exitCode}",
    };

    /// <summary>Kills the tree if it still runs, waits (up to 5 s) for it to end, and lets go of the OS process.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (Volatile.Read(ref _state) == Running && !HasExited)
        {
            Kill();
            _exited.Task.Wait(DisposeWait);
        }

        _process.Dispose();
    }

    /// <inheritdoc />
    public override string ToString() => $"{FileName} (pid {Pid}) {DescribeExit()}";

    // Names as Linux numbers them; 7, 10 and 12 differ on other Unix systems, so only their numbers are given there.
    private static string? SignalName(int signal) => (signal, OperatingSystem.IsLinux()) switch
    {
        (1, _) => "SIGHUP",
        (2, _) => "SIGINT",
        (3, _) => "SIGQUIT",
        (4, _) => "SIGILL",
        (5, _) => "SIGTRAP",
        (6, _) => "SIGABRT",
        (7, true) => "SIGBUS",
        (8, _) => "SIGFPE",
        (9, _) => "SIGKILL",
        (10, true) => "SIGUSR1",
        (11, _) => "SIGSEGV",
        (12, true) => "SIGUSR2",
        (13, _) => "SIGPIPE",
        (14, _) => "SIGALRM",
        (15, _) => "SIGTERM",
        _ => null,
    };

    private static string DescribeSignal(int signal, int exitCode)
    {
        var why = signal == 6 ? ": an unhandled exception or a crash" : "";
        return SignalName(signal) is { } name
            ? $"was killed by {name} (signal {signal}, exit code {exitCode}){why}"
            : $"was killed by signal {signal} (exit code {exitCode})";
    }

    /// <summary>
    /// Stops <paramref name="pid"/> (so it starts no other process meanwhile) and says whether it has no children, which
    /// Linux lists per thread in <c>/proc/&lt;pid&gt;/task/&lt;tid&gt;/children</c>: then killing it alone ends its tree.
    /// .NET's own tree kill reads every process's <c>/proc</c> entry to find children (~20 ms on a two-core machine
    /// against ~0.03 ms for one kill), which a pool's Terminate would pay per worker. False when that cannot be told.
    /// </summary>
    private static bool StopIfChildless(int pid)
    {
        if (pid <= 0 || kill(pid, LinuxSigStop) != 0)
        {
            return false;
        }

        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                if (!string.IsNullOrWhiteSpace(File.ReadAllText(Path.Combine(task, "children"))))
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // it ended meanwhile, or this kernel has no children files: .NET's tree kill looks
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    private Task ExitTask() => Volatile.Read(ref _state) switch
    {
        NotStarted => throw new InvalidOperationException($"'{FileName}' has not started: call Start first."),
        CouldNotStart => Task.CompletedTask,
        _ => _exited.Task,
    };

    private void OnExited()
    {
        if (Probe<int?>(() => _process.ExitCode, null) is { } code)
        {
            _exitCode = code;
            _exitCodeKnown = true;
        }

        _exited.TrySetResult();
        Exited?.Invoke();
    }

    private void Received(string stream, string? text)
    {
        if (text is null)
        {
            if (Interlocked.Decrement(ref _streamsOpen) == 0)
            {
                _outputEnded.TrySetResult();
            }

            return;
        }

        if (stream == OutputLine.StandardError)
        {
            lock (_errorTail)
            {
                _errorTail.Enqueue(text);
                if (_errorTail.Count > StandardErrorLinesKept)
                {
                    _errorTail.Dequeue();
                }
            }
        }

        if (CaptureOutput)
        {
            var all = stream == OutputLine.StandardError ? _error : _output;
            lock (all)
            {
                all.Append(text).Append('\n');
            }
        }

        try
        {
            LineReceived?.Invoke(new OutputLine(Pid, stream, text));
        }
        catch (Exception)
        {
            // dropped: a callback that throws must not stop the reader, nor end this process
        }
    }

    private string Captured(StringBuilder all)
    {
        if (!CaptureOutput)
        {
            throw new InvalidOperationException($"The output of '{FileName}' was not kept: set CaptureOutput.");
        }

        lock (all)
        {
            return all.ToString();
        }
    }

    private static T Probe<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            return fallback;
        }
    }
}
