using System.Diagnostics;
using System.Globalization;
using Threadbook.Introspection;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Processes;

/// <summary>
/// A function running in a process of its own, like Python's <c>multiprocessing.Process(target=Foo, args=(1,))</c>:
/// <c>var child = ChildProcess.Start(Jobs.Foo, 1); child.Join();</c>. The child has its own memory: statics it changes
/// stay changed in the child only. It runs exactly one function and exits: with code 0 when the function returned (its
/// value is <see cref="Result"/>), 1 when it threw (the exception is <see cref="Error"/>).
/// </summary>
/// <remarks>
/// <para>The function must be a public static method whose assembly is a file, and its arguments must be able to
/// travel (see <see cref="WorkerFunction"/>); shared objects (<see cref="SharedArray{T}"/>, <see cref="SharedDictionary"/>,
/// <see cref="ProcessLock"/>) travel as handles, so parent and child use the same memory or dictionary.</para>
/// <para>The child's console output is read line by line and handed to <see cref="Output"/>; by default it is written
/// as <c>[pid N] line</c> to this process's console in the context that started the child, so in a notebook it lands
/// in that cell. The child exits when this process does (it watches its parent). Starting takes a pre-started worker
/// when <see cref="WarmWorkers"/> has one, so it costs milliseconds, not a .NET start-up.</para>
/// </remarks>
public sealed class ChildProcess : IRenderable, IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(10);
    private readonly WorkerFunction _function;
    private readonly object?[] _arguments;
    private readonly byte[] _argumentsJson;
    private readonly ManualResetEventSlim _ended = new(false);
    private readonly TraceLane _lane;
    private WorkerProcess? _process;
    private ExecutionContext? _startedIn;
    private int _startCalled;
    private object? _result;

    /// <summary>Prepares a child that will run <paramref name="function"/> with <paramref name="args"/>; <see cref="Start()"/> starts it.</summary>
    /// <exception cref="ArgumentException">The function cannot run in another process, the argument count is wrong, or an argument cannot be sent.</exception>
    public ChildProcess(Delegate function, params object?[] args)
    {
        _function = WorkerFunction.From(function);
        _arguments = args ?? [null];
        _function.CheckArgumentCount(_arguments);
        _argumentsJson = ProcessJson.SerializeArguments(_arguments);
        Call = _function.DescribeCall(_arguments);
        _lane = new TraceLane($"child process ({Call})");
    }

    /// <summary>The call, e.g. <c>Foo(1)</c>.</summary>
    public string Call { get; }

    /// <summary>The child's process id; null before <see cref="Start()"/>.</summary>
    public int? Pid => _process?.Pid;

    /// <summary>True from <see cref="Start()"/> until the process has ended.</summary>
    public bool IsAlive => _process is not null && !_ended.IsSet;

    /// <summary>The exit code once the child ended: 0 the function returned, 1 it threw; on Unix 128 + N when signal N killed it (137: <c>kill -9</c>, <see cref="Terminate"/>). Null while it runs.</summary>
    public int? ExitCode => _ended.IsSet ? _process?.ExitCode : null;

    /// <summary>
    /// Why the function produced no result: when it threw, the child's exception as its own type (its message, the
    /// child's stack first in its stack trace, and <see cref="RemoteException.Of"/> gives pid and stack), or a
    /// <see cref="RemoteException"/> naming the type when this process cannot build that type; a
    /// <see cref="WorkerStartException"/> when the process did not start. Null otherwise (also when it was killed: see
    /// <see cref="ExitCode"/>).
    /// </summary>
    public Exception? Error { get; private set; }

    /// <summary>The function's return value (a copy, read back as its declared type) once it returned; null before.</summary>
    public object? Result => Volatile.Read(ref _result);

    /// <summary>True once the function returned (its value, possibly null, is <see cref="Result"/>).</summary>
    public bool HasResult { get; private set; }

    /// <summary>Where the child's output lines go; null (the default) writes <c>[pid N] line</c> to the console.</summary>
    public Action<ProcessOutput>? Output { get; set; }

    /// <summary>Creates and starts a child running <paramref name="function"/> with <paramref name="args"/>.</summary>
    public static ChildProcess Start(Delegate function, params object?[] args)
    {
        var child = new ChildProcess(function, args);
        child.Start();
        return child;
    }

    /// <summary>Starts the child (Python's <c>start()</c>); returns once the process exists, without waiting for the function.</summary>
    /// <exception cref="InvalidOperationException">It was started before.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _startCalled, 1) != 0)
        {
            throw new InvalidOperationException($"The child process for {Call} was already started; a child runs once.");
        }

        _startedIn = ExecutionContext.Capture();
        var process = WarmWorkers.Take();
        process.SetOutput(line => ProcessOutput.Deliver(Output, line, _startedIn));
        _process = process;
        TraceRecorder.RecordInLane(_lane, Stopwatch.GetTimestamp(), TraceEventKind.ThreadStarted, $"process {process.Pid} ({Call})");
        process.RunReader(() => Run(process), $"threadbook child {process.Pid} reader");
    }

    /// <summary>Waits until the child has ended (Python's <c>join()</c>).</summary>
    /// <exception cref="InvalidOperationException">It was never started.</exception>
    public void Join() => Join(Timeout.InfiniteTimeSpan);

    /// <summary>Waits at most <paramref name="timeout"/>; true when the child has ended.</summary>
    /// <exception cref="InvalidOperationException">It was never started.</exception>
    public bool Join(TimeSpan timeout) => _process is null
        ? throw new InvalidOperationException($"The child process for {Call} was not started: call Start() before Join().")
        : _ended.Wait(timeout);

    /// <summary>Kills the child now (Python's <c>terminate()</c>); <see cref="Join()"/> then returns promptly.</summary>
    public void Terminate() => _process?.Kill();

    /// <summary>Kills the child if it still runs and waits (briefly) for it to end.</summary>
    public void Dispose()
    {
        if (IsAlive)
        {
            Terminate();
            _ended.Wait(ExitWait);
        }
    }

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => $"ChildProcess {Call}: {StateText()}";

    private void Run(WorkerProcess process)
    {
        try
        {
            var connection = process.WaitConnected(ConnectTimeout);
            var start = new FrameWriter();
            WorkerMessages.WriteDefine(start, _function);
            WorkerMessages.WriteRun(start, 1, _function, _argumentsJson, exitAfter: true);
            connection.Send(start);
            while (connection.ReadFrame(out var payload))
            {
                var message = new FrameReader(payload);
                message.Int64(); // the task id: a child runs one
                var timestamp = message.Int64();
                switch (message.Kind)
                {
                    case MessageKind.Started:
                        TraceRecorder.RecordInLane(_lane, timestamp, TraceEventKind.SpanBegan, Call);
                        break;
                    case MessageKind.Succeeded:
                        TraceRecorder.RecordInLane(_lane, timestamp, TraceEventKind.SpanEnded);
                        Volatile.Write(ref _result, ProcessJson.DeserializeValue(message.Bytes(), _function.ResultType));
                        HasResult = true;
                        break;
                    case MessageKind.Failed:
                        TraceRecorder.RecordInLane(_lane, timestamp, TraceEventKind.SpanEnded);
                        Error = RemoteExceptionRebuilder.Rebuild(WorkerMessages.ReadFailure(ref message, process.Pid, Call));
                        break;
                }
            }

            connection.Dispose();
        }
        catch (Exception e)
        {
            Error ??= e;
        }
        finally
        {
            if (!process.WaitForExit(ExitWait))
            {
                process.Kill();
                process.WaitForExit(ExitWait);
            }

            TraceRecorder.RecordInLane(_lane, Stopwatch.GetTimestamp(), TraceEventKind.ThreadStopped);
            _ended.Set();
        }
    }

    private string StateText() =>
        _process is null ? "not started"
        : !_ended.IsSet ? $"running (pid {_process.Pid})"
        : Error is { } failed && RemoteException.Of(failed) is { } remote ? $"failed: {remote.RemoteTypeName}: {remote.RemoteMessage}"
        : Error is { } error ? $"failed: {Probe.Text(error)}"
        : HasResult ? $"returned {Probe.Text(Result)}"
        : $"ended without a result: it {_process.DescribeExit()}";

    private FactView View() => new(
        () => $"ChildProcess {Call}",
        () =>
        [
            ("pid", Pid?.ToString(CultureInfo.InvariantCulture) ?? "none yet (not started)"),
            ("alive", IsAlive ? "yes" : "no"),
            ("state", StateText()),
            ("exit code", ExitCode?.ToString(CultureInfo.InvariantCulture) ?? (IsAlive ? "n/a (still running)" : "n/a")),
            ("function", _function.ToString()),
        ]);
}
