using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Threadbook.Hosting;
using Threadbook.Processes;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Servers;

/// <summary>
/// Python's <c>socketserver.ForkingTCPServer</c>: accepts connections in <see cref="TcpServer.ServeForever"/> and
/// serves each in a child process of its own, with a fresh handler of the type it was given. Each child serves exactly
/// one client and exits. Binds to loopback unless told otherwise.
/// </summary>
/// <remarks>
/// <para>.NET cannot <c>fork()</c>: a new .NET process takes tens of milliseconds to boot. So the server keeps
/// <see cref="SpareProcesses"/> children started ahead of demand (booted, the handler's assembly loaded, a handler made,
/// waiting), hands each accepted socket to a waiting spare over a Unix socket (the way a forked child inherits its
/// client), closes its own copy, and starts a new spare to take that one's place. Linux only.</para>
/// <para>The handler type must live in an assembly file the child can load: a class in a notebook's <c>#!worker</c>
/// cell, or in a compiled program or test assembly; it needs a public parameterless constructor. In the child,
/// <see cref="TcpRequestHandler.Server"/> is null (the server object stays in this process).</para>
/// <para>A handler that throws in a child is reported here (<see cref="TcpServer.HandlerFailed"/> with a
/// <see cref="RemoteException"/>, and a line on standard error); the child exits, which closes its client, and the
/// server goes on. A child's console output arrives here line by line as <c>[pid N] line</c> (see <see cref="Output"/>).
/// <see cref="TcpServer.Dispose"/> stops the spares and waits (up to <see cref="ChildExitTimeout"/>) for children still
/// serving, then kills them, so no process is left behind.</para>
/// </remarks>
public sealed class ForkingTcpServer : TcpServer
{
    private const int GiveUpAfterFailedSpares = 3;
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan TokenTimeout = TimeSpan.FromSeconds(2);

    private readonly string _handlerAssembly;
    private readonly string _handlerTypeName;
    private readonly Socket _handoffListener;
    private readonly string _handoffAddress;
    private readonly ConcurrentDictionary<string, ForkedChild> _children = new();
    private readonly BlockingCollection<ForkedChild> _ready = new(new ConcurrentQueue<ForkedChild>());
    private readonly object _sparesGate = new();
    private readonly ConcurrentQueue<int> _servedBy = new();
    private ExecutionContext? _outputContext;
    private int _handoffStarted;
    private int _spares;
    private int _failedSparesInARow;
    private Exception? _spareError;

    /// <summary>Creates a server on <paramref name="endpoint"/> (port 0 picks a free port) that serves each client in a child process with a new <paramref name="handlerType"/>.</summary>
    /// <exception cref="ArgumentException">The handler type is not a <see cref="TcpRequestHandler"/> a child process can create (the message says why).</exception>
    /// <exception cref="PlatformNotSupportedException">Not on Linux.</exception>
    public ForkingTcpServer(IPEndPoint endpoint, Type handlerType)
        : this(endpoint, handlerType, CheckArguments(endpoint, handlerType))
    {
    }

    /// <summary>Creates a server on 127.0.0.1 and a free port.</summary>
    /// <exception cref="ArgumentException">The handler type is not a <see cref="TcpRequestHandler"/> a child process can create.</exception>
    public ForkingTcpServer(Type handlerType)
        : this(new IPEndPoint(IPAddress.Loopback, 0), handlerType)
    {
    }

    // The arguments are checked before the base constructor binds the port, so a refused handler leaves no port open.
    private ForkingTcpServer(IPEndPoint endpoint, Type handlerType, (string Assembly, string TypeName) handler)
        : base(endpoint)
    {
        (_handlerAssembly, _handlerTypeName) = handler;
        HandlerType = handlerType;
        // An abstract Unix socket: a name only, so nothing is left on disk even when this process is killed.
        _handoffAddress = $"@threadbook-fork-{Environment.ProcessId}-{RandomToken.New()[..12]}";
        _handoffListener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _handoffListener.Bind(ParentEndpoint.EndPointOf(_handoffAddress));
        _handoffListener.Listen(64);
        _outputContext = ExecutionContext.Capture();
    }

    /// <summary>The handler type each child creates.</summary>
    public Type HandlerType { get; }

    /// <summary>How many child processes to keep started and waiting for a client (default 2, at least 1).</summary>
    public int SpareProcesses
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 64);
            field = value;
        }
    } = 2;

    /// <summary>How long <see cref="TcpServer.Dispose"/> waits for children still serving a client before it kills them (default 5 s).</summary>
    public TimeSpan ChildExitTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Where the children's console output lines go; null (the default) writes <c>[pid N] line</c> to the console of the context that started the server.</summary>
    public Action<ProcessOutput>? Output { get; set; }

    /// <summary>Clients being served now (child processes that were handed a client and have not ended).</summary>
    public override int ActiveConnections => _children.Values.Count(c => c.Client is not null);

    /// <summary>Spare children connected and waiting for a client.</summary>
    public int ReadySpares => _ready.Count;

    /// <summary>The process ids of every child alive now: spares and children serving a client.</summary>
    public IReadOnlyList<int> ChildProcessIds => _children.Values.Select(c => c.Pid).Where(pid => pid != 0).ToArray();

    /// <summary>The process ids that served clients, in the order the clients were handed over (the last 10,000).</summary>
    public IReadOnlyList<int> ServedByProcessIds => _servedBy.ToArray();

    /// <summary>
    /// Starts the spares, runs <see cref="TcpServer.ServeForever"/> on a background thread, and returns once the spares
    /// are ready (at most <paramref name="readyTimeout"/>, default 60 s), so the first client is served without waiting
    /// for a boot.
    /// </summary>
    /// <exception cref="WorkerStartException">The spares could not start (the message says why, e.g. the handler type did not load in the child).</exception>
    public ForkingTcpServer Start(TimeSpan? readyTimeout = null)
    {
        _outputContext = ExecutionContext.Capture();
        StartSpares();
        StartServeThread(flowExecutionContext: false);
        WaitUntilReady(readyTimeout ?? ConnectTimeout);
        return this;
    }

    /// <summary>Waits until <see cref="SpareProcesses"/> spares wait for clients; throws when they cannot start or <paramref name="timeout"/> passes.</summary>
    /// <exception cref="WorkerStartException">The spares failed to start, or were not ready in time.</exception>
    public void WaitUntilReady(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (_ready.Count < SpareProcesses)
        {
            if (SparesGaveUp())
            {
                throw new WorkerStartException($"The server's child processes cannot start: {Volatile.Read(ref _spareError)?.Message}");
            }

            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new WorkerStartException($"{_ready.Count} of {SpareProcesses} spare processes were ready after {timeout.TotalSeconds:0.#} s.");
            }

            Thread.Sleep(2);
        }
    }

    /// <summary>Starts the spares the accept loop hands clients to (when <see cref="Start"/> did not already).</summary>
    private protected override void BeforeAccepting() => StartSpares();

    /// <summary>Hands <paramref name="client"/> to a spare child; false when the server is stopping.</summary>
    private protected override bool Serve(Socket client, CancellationToken stopping) => HandOff(client, stopping);

    /// <summary>
    /// Stops the spares, waits up to <see cref="ChildExitTimeout"/> for children still serving and kills the rest, and
    /// waits for every child process to be gone (Python: <c>server_close()</c>, which waits for its children).
    /// <see cref="TcpServer.Shutdown"/> alone lets children serving clients finish on their own and the spares wait.
    /// </summary>
    private protected override void EndClients()
    {
        _handoffListener.Dispose();
        lock (_sparesGate)
        {
            // Under the gate: a spare being started now is either in the list already or will see IsDisposed and not start.
            foreach (var child in _children.Values)
            {
                child.ReleaseIfSpare();
            }
        }

        var deadline = Stopwatch.GetTimestamp() + (long)(ChildExitTimeout.TotalSeconds * Stopwatch.Frequency);
        foreach (var child in _children.Values)
        {
            var left = TimeSpan.FromSeconds(Math.Max(0, (double)(deadline - Stopwatch.GetTimestamp()) / Stopwatch.Frequency));
            if (!child.Ended.Wait(left))
            {
                child.Process?.Kill();
            }
        }

        foreach (var child in _children.Values)
        {
            child.Ended.Wait(TimeSpan.FromSeconds(10));
        }
    }

    private static (string Assembly, string TypeName) CheckArguments(IPEndPoint endpoint, Type handlerType)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(handlerType);
        if (!SocketHandoff.IsSupported)
        {
            throw new PlatformNotSupportedException(
                "ForkingTcpServer hands each client socket to a child process (SCM_RIGHTS), which needs Linux; use ThreadingTcpServer here.");
        }

        return LocateHandler(handlerType);
    }

    private static (string Assembly, string TypeName) LocateHandler(Type handlerType)
    {
        if (!typeof(TcpRequestHandler).IsAssignableFrom(handlerType) || handlerType.IsAbstract || handlerType.ContainsGenericParameters)
        {
            throw new ArgumentException(
                $"{handlerType.Name} cannot serve clients: a handler type must be a non-abstract, non-generic class derived from {nameof(TcpRequestHandler)}.",
                nameof(handlerType));
        }

        if (handlerType.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ArgumentException($"{handlerType.Name} needs a public parameterless constructor: each child process creates one with it.", nameof(handlerType));
        }

        var assembly = WorkerAssemblies.LocationOf(handlerType);
        if (assembly is null || !File.Exists(assembly))
        {
            throw new ArgumentException(
                $"{handlerType.Name} exists only in this process's memory ({WorkerAssemblies.CodeCompiledInMemory} is compiled that way), so a child process cannot " +
                $"load it: declare the handler {WorkerAssemblies.WhereToDeclareWorkerCode}, whose code is compiled to a file that child processes load.",
                nameof(handlerType));
        }

        var dynamic = handlerType.Assembly.IsDynamic || string.IsNullOrEmpty(handlerType.Assembly.Location);
        return (assembly, dynamic ? WorkerAssemblies.NameAsWritten(handlerType) : handlerType.FullName!);
    }

    private void StartSpares()
    {
        if (Interlocked.Exchange(ref _handoffStarted, 1) == 0)
        {
            new Thread(AcceptSpares) { IsBackground = true, Name = $"forking server spares {ServerAddress}" }.UnsafeStart();
        }

        lock (_sparesGate)
        {
            while (_spares < SpareProcesses && _failedSparesInARow < GiveUpAfterFailedSpares && !IsDisposed)
            {
                _spares++;
                var child = new ForkedChild(RandomToken.New());
                _children[child.Token] = child;
                new Thread(() => RunChild(child)) { IsBackground = true, Name = "forking server child" }.UnsafeStart();
            }
        }
    }

    private bool SparesGaveUp()
    {
        lock (_sparesGate)
        {
            return _failedSparesInARow >= GiveUpAfterFailedSpares && _spares == 0;
        }
    }

    /// <summary>Takes spares' connections to the hand-off socket: each says its token, then waits for a client.</summary>
    private void AcceptSpares()
    {
        var hello = new byte[ForkedChildProgram.TokenLength + 1];
        while (true)
        {
            Socket channel;
            try
            {
                channel = _handoffListener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            try
            {
                channel.ReceiveTimeout = (int)TokenTimeout.TotalMilliseconds;
                var read = 0;
                while (read < hello.Length && channel.Receive(hello.AsSpan(read)) is var n and > 0)
                {
                    read += n;
                }

                channel.ReceiveTimeout = 0;
                if (read == hello.Length && _children.TryGetValue(Encoding.ASCII.GetString(hello, 0, ForkedChildProgram.TokenLength), out var child))
                {
                    var ready = hello[ForkedChildProgram.TokenLength] == ForkedChildProgram.Ready;
                    if (child.Connect(channel, ready))
                    {
                        if (ready)
                        {
                            lock (_sparesGate)
                            {
                                _failedSparesInARow = 0;
                            }

                            _ready.Add(child);
                        }

                        continue;
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException or InvalidOperationException)
            {
                // a stranger, or a spare that died while saying its token
            }

            channel.Dispose();
        }
    }

    /// <summary>Hands <paramref name="client"/> to a ready spare (waiting for one if need be); false when the server is stopping.</summary>
    private bool HandOff(Socket client, CancellationToken stopping)
    {
        var address = (IPEndPoint)client.RemoteEndPoint!;
        var payload = Encoding.UTF8.GetBytes(address.ToString());
        try
        {
            while (true)
            {
                if (!_ready.TryTake(out var spare, 100, stopping))
                {
                    if (SparesGaveUp())
                    {
                        Report(address, new WorkerStartException(
                            $"No child process could start to serve {address}: {Volatile.Read(ref _spareError)?.Message}"), "no process");
                        return true;
                    }

                    StartSpares();
                    continue;
                }

                if (spare.TryServe(client, address, payload))
                {
                    _servedBy.Enqueue(spare.Pid);
                    while (_servedBy.Count > 10_000 && _servedBy.TryDequeue(out _))
                    {
                    }

                    lock (_sparesGate)
                    {
                        _spares--;
                    }

                    StartSpares();
                    return true;
                }
                // That spare died while it waited: its thread accounts for it; try the next.
            }
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        finally
        {
            client.Close(); // the child has its own copy now, as after fork()
        }
    }

    /// <summary>
    /// The life of one child, on a thread of its own: start it (<see cref="ForkedChildProgram.ServeOneClient"/> in a worker
    /// in its serve-one mode), wait until it says its token on the hand-off socket, then read from that socket how serving
    /// went.
    /// </summary>
    private void RunChild(ForkedChild child)
    {
        ObservedProcess? process = null;
        try
        {
            process = StartChildProcess(child);
            child.Attach(process);
            if (child.WaitForChannel(ConnectTimeout) is not { } channel)
            {
                if (!process.HasExited && !child.IsReleased)
                {
                    process.Kill();
                    child.Error ??= new WorkerStartException($"Child process {process.Pid} did not connect within {ConnectTimeout.TotalSeconds:0} s, so it was killed.");
                }

                return;
            }

            var connection = new FrameConnection(channel);
            while (connection.ReadFrame(out var frame))
            {
                var message = new FrameReader(frame);
                message.Int64(); // the task id: a child runs one
                var timestamp = message.Int64();
                switch (message.Kind)
                {
                    case MessageKind.Succeeded:
                        child.EndTimestamp = timestamp;
                        break;
                    case MessageKind.Failed:
                        child.EndTimestamp = timestamp;
                        child.Error = WorkerMessages.ReadFailure(
                            ref message, process.Pid, child.Client is null ? $"a spare making a new {HandlerType.Name}()" : $"{HandlerType.Name}.Handle()");
                        break;
                }
            }
        }
        catch (Exception e)
        {
            if (!(child.IsReleased && e is SocketException or ObjectDisposedException))
            {
                child.Error ??= e;
            }
        }
        finally
        {
            if (process is not null && !process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill();
                process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            if (process is not null && !child.WasReady && child.Error is null && !child.IsReleased)
            {
                var stderr = process.StandardErrorTail is { Length: > 0 } tail ? $" Its standard error:\n{tail}" : "";
                child.Error = new WorkerStartException($"Child process {process.Pid} {process.DescribeExit()} before it was ready.{stderr}");
            }

            Ended(child, process);
            process?.Dispose();
        }
    }

    /// <summary>
    /// Starts <paramref name="child"/>'s process (<c>dotnet Threadbook.Worker.dll --serve-one ...</c>, its token in its
    /// environment), its console output handed on line by line.
    /// </summary>
    private ObservedProcess StartChildProcess(ForkedChild child)
    {
        var process = WorkerLocator.NewProcess(
            ForkedChildProgram.Arguments(Environment.ProcessId, _handoffAddress, _handlerAssembly, _handlerTypeName),
            line => ProcessOutput.Deliver(Output, new ProcessOutput(line.Pid, line.Stream, line.Text), _outputContext),
            child.Wake);
        process.Environment[ForkedChildProgram.TokenVariable] = child.Token;
        try
        {
            return process.Start();
        }
        catch (Exception e)
        {
            process.Dispose();
            throw new WorkerStartException($"Could not start a child process ({process.FileName} {process.Arguments[0]}): {e.Message}");
        }
    }

    private void Ended(ForkedChild child, ObservedProcess? process)
    {
        var served = child.End();
        if (served is { } address)
        {
            var now = Stopwatch.GetTimestamp();
            TraceRecorder.RecordInLane(child.Lane!, child.EndTimestamp ?? now, TraceEventKind.SpanEnded);
            TraceRecorder.RecordInLane(child.Lane!, now, TraceEventKind.ThreadStopped);
            if (child.Error is not null)
            {
                Report(address, child.Error, $"process {child.Pid}");
            }
            else if (child.EndTimestamp is null && !IsDisposed)
            {
                Report(address, new WorkerDiedException(child.Pid, $"{HandlerType.Name}.Handle for {address}", process?.DescribeExit() ?? "ended"), $"process {child.Pid}");
            }

            CountFinished();
        }
        else
        {
            lock (_sparesGate)
            {
                _spares--;
                if (!child.WasReady && !IsDisposed)
                {
                    _failedSparesInARow++;
                    Volatile.Write(ref _spareError, child.Error ?? new WorkerStartException($"Child process {child.Pid} {process?.DescribeExit() ?? "ended"} before it was ready."));
                }
            }

            if (!IsDisposed)
            {
                StartSpares();
            }
        }

        _children.TryRemove(child.Token, out _);
        child.Ended.Set();
    }

    private void Report(IPEndPoint address, Exception error, string servedBy) => Report(new HandlerFailure(address, error, servedBy), "in");

    private protected override Table View() =>
        new Table("listening on", "handler", "accepted", "serving now", "finished", "handler failures", "spares ready")
        {
            Caption = "ForkingTcpServer: a process per client",
        }.AddRow(ServerAddress, HandlerType.Name, ConnectionsAccepted, ActiveConnections, ConnectionsFinished, HandlerFailures,
            $"{ReadySpares} of {SpareProcesses}");
}
