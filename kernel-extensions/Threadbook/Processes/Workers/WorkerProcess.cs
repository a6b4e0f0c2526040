using System.Globalization;
using Threadbook.Hosting;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Workers;

/// <summary>
/// One started <c>Threadbook.Worker</c> process: <c>dotnet Threadbook.Worker.dll --parent &lt;pid&gt; --connect &lt;address&gt;</c>,
/// its connection back to this process (which says the worker is ready), and its standard output and error, read line
/// by line and handed to whoever uses the worker (kept until someone does). Standard input is an empty pipe, so a
/// worker never reads the parent's input (in a notebook kernel that is the protocol stream).
/// </summary>
internal sealed class WorkerProcess
{
    /// <summary>The environment variable that hands a worker its connection token (not its command line: others can read that).</summary>
    public const string TokenVariable = "THREADBOOK_WORKER_TOKEN";

    private const int EarlyLinesKept = 1000;
    private const int FunctionsPreloaded = 4;
    private static readonly List<WorkerFunction> RecentlyUsed = [];
    private readonly TaskCompletionSource<FrameConnection> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _outputGate = new();
    private readonly List<ProcessOutput> _early = [];
    private readonly string _token;
    private readonly ObservedProcess _process;
    private readonly TaskCompletionSource<(Action Work, string Name)?> _readerWork = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _readerPrestarted;
    private Action<ProcessOutput>? _sink;

    private WorkerProcess(IEnumerable<string> arguments, string token)
    {
        _process = WorkerLocator.NewProcess(arguments, Received, () =>
        {
            ExitedBeforeConnecting();
            ReleaseReader();
        });
        _process.Environment[TokenVariable] = token;
        _token = token;
    }

    /// <summary>Its process id.</summary>
    public int Pid => _process.Pid;

    /// <summary>When it was launched (Stopwatch ticks).</summary>
    public long LaunchTimestamp => _process.StartTimestamp;

    /// <summary>True once the worker connected back and loaded the functions it was told to preload (it is ready for work).</summary>
    public bool IsConnected => _connected.Task.IsCompletedSuccessfully;

    /// <summary>True once the process ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once it ended; on Unix 128 + N when signal N killed it.</summary>
    public int? ExitCode => _process.ExitCode;

    /// <summary>The last lines it wrote to standard error (for messages about a worker that failed to start).</summary>
    public string StderrTail => _process.StandardErrorTail;

    /// <summary>Starts a worker process; it connects back when it is ready (see <see cref="WaitConnected"/>).</summary>
    public static WorkerProcess Launch()
    {
        var endpoint = ParentEndpoint.Instance;
        var token = RandomToken.New();
        var worker = new WorkerProcess(["--parent", Environment.ProcessId.ToString(CultureInfo.InvariantCulture), "--connect", endpoint.Address], token);
        endpoint.Expect(token, ConnectionRole.Worker, (connection, _) => worker.Accept(connection), once: true);
        try
        {
            worker._process.Start();
        }
        catch (Exception e)
        {
            endpoint.Forget(token);
            throw new InvalidOperationException($"Could not start a worker process ({worker._process.FileName} {worker._process.Arguments[0]}): {e.Message}", e);
        }

        return worker;
    }

    /// <summary>Waits until the worker connected back; throws when it ended first or took longer than <paramref name="timeout"/> (it is then killed).</summary>
    public FrameConnection WaitConnected(TimeSpan timeout)
    {
        try
        {
            if (_connected.Task.Wait(timeout))
            {
                return _connected.Task.Result;
            }
        }
        catch (AggregateException e) when (e.InnerException is { } inner)
        {
            throw inner;
        }

        Kill();
        ParentEndpoint.Instance.Forget(_token);
        throw new WorkerStartException($"Worker process {Pid} did not connect within {timeout.TotalSeconds:0} s, so it was killed.{StderrText()}");
    }

    /// <summary>
    /// Starts, now, the thread that will read this worker's reports for whoever takes it (<see cref="RunReader"/>): a warm
    /// worker's is started while it waits, so a new pool does not pay for <see cref="Thread.Start()"/>, which waits for the
    /// new thread to run (several ms on loaded cores).
    /// </summary>
    public void PrestartReader()
    {
        if (Interlocked.Exchange(ref _readerPrestarted, 1) == 0)
        {
            new Thread(static state => ((WorkerProcess)state!).AwaitReaderWork()) { IsBackground = true, Name = $"threadbook worker {Pid} reader" }.UnsafeStart(this);
        }
    }

    /// <summary>Runs <paramref name="work"/> on the pre-started reader thread, or on a new thread when there is none.</summary>
    public void RunReader(Action work, string name)
    {
        if (Volatile.Read(ref _readerPrestarted) == 1 && _readerWork.TrySetResult((work, name)))
        {
            return;
        }

        new Thread(() => work()) { IsBackground = true, Name = name }.UnsafeStart();
    }

    /// <summary>Ends the pre-started reader thread unused (the worker was retired, or it exited).</summary>
    public void ReleaseReader() => _readerWork.TrySetResult(null);

    private void AwaitReaderWork()
    {
        if (_readerWork.Task.GetAwaiter().GetResult() is not { } assigned)
        {
            return;
        }

        try
        {
            Thread.CurrentThread.Name = assigned.Name;
        }
        catch (InvalidOperationException)
        {
            // the name could not change: the thread keeps its first one
        }

        assigned.Work();
    }

    /// <summary>Sends further lines to <paramref name="sink"/> (first the lines that came before, if any).</summary>
    public void SetOutput(Action<ProcessOutput> sink)
    {
        ProcessOutput[] early;
        lock (_outputGate)
        {
            _sink = sink;
            early = [.. _early];
            _early.Clear();
        }

        foreach (var line in early)
        {
            sink(line);
        }
    }

    /// <summary>Kills the process and its descendants (no-op once it ended).</summary>
    public void Kill() => _process.Kill();

    /// <summary>Waits for the process to end and its output to be read; false when <paramref name="timeout"/> passed first.</summary>
    public bool WaitForExit(TimeSpan timeout) => _process.WaitForExit(timeout);

    /// <summary>How the process ended, for people: "exited with code 1", "was killed by SIGKILL (signal 9, exit code 137)".</summary>
    public string DescribeExit() => _process.DescribeExit();

    /// <summary>
    /// Remembers that <paramref name="function"/> was sent to a worker, so workers that connect later (the warm spares a
    /// new pool takes) load its assembly while they wait, not when the first task comes (~15 ms on two cores).
    /// </summary>
    public static void RememberUsed(WorkerFunction function)
    {
        lock (RecentlyUsed)
        {
            if (RecentlyUsed.Count > 0 && RecentlyUsed[^1] == function)
            {
                return;
            }

            RecentlyUsed.Remove(function);
            RecentlyUsed.Add(function);
            if (RecentlyUsed.Count > FunctionsPreloaded)
            {
                RecentlyUsed.RemoveAt(0);
            }
        }
    }

    private void Accept(FrameConnection connection)
    {
        if (!Preload(connection))
        {
            Connected(connection);
            return;
        }

        // Ready means the preloaded functions are loaded (else a new pool's first task waits for that load behind them).
        // Read the answer off the endpoint's accept thread; nobody else reads this connection until it is ready.
        ThreadPool.UnsafeQueueUserWorkItem(static state => state.worker.AwaitReady(state.connection), (worker: this, connection), preferLocal: false);
    }

    private void AwaitReady(FrameConnection connection)
    {
        bool ready;
        try
        {
            ready = connection.ReadFrame(out var payload) && new FrameReader(payload).Kind == MessageKind.Ready;
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException or IOException)
        {
            ready = false;
        }

        if (ready)
        {
            Connected(connection);
        }
        else
        {
            connection.Dispose();
            _connected.TrySetException(new WorkerStartException($"Worker process {Pid} closed its connection before it was ready.{StderrText()}"));
        }
    }

    private void Connected(FrameConnection connection)
    {
        if (!_connected.TrySetResult(connection))
        {
            connection.Dispose();
        }
    }

    /// <summary>Defines the recently used functions in a worker that just connected: it loads them at once (a load that fails is reported when a task needs it) and then answers <see cref="MessageKind.Ready"/>. False when there was nothing to preload.</summary>
    private static bool Preload(FrameConnection connection)
    {
        WorkerFunction[] functions;
        lock (RecentlyUsed)
        {
            functions = [.. RecentlyUsed];
        }

        if (functions.Length == 0)
        {
            return false;
        }

        var writer = new FrameWriter();
        foreach (var function in functions)
        {
            WorkerMessages.WriteDefine(writer, function);
        }

        WorkerMessages.WriteReady(writer);
        try
        {
            connection.Send(writer);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // it died already: the wait for its answer finds out
        }

        return true;
    }

    private void ExitedBeforeConnecting()
    {
        if (!_connected.Task.IsCompleted)
        {
            ParentEndpoint.Instance.Forget(_token);
            // Give the stderr reader a moment: the worker's last words say why it stopped.
            _process.WaitForExit(TimeSpan.FromMilliseconds(500));
            _connected.TrySetException(new WorkerStartException($"Worker process {Pid} {DescribeExit()} before it was ready.{StderrText()}"));
        }
    }

    private string StderrText() => StderrTail is { Length: > 0 } tail ? $" Its standard error:\n{tail}" : "";

    private void Received(OutputLine line)
    {
        Action<ProcessOutput>? sink;
        var output = new ProcessOutput(line.Pid, line.Stream, line.Text);
        lock (_outputGate)
        {
            sink = _sink;
            if (sink is null && _early.Count < EarlyLinesKept)
            {
                _early.Add(output);
            }
        }

        sink?.Invoke(output);
    }
}
