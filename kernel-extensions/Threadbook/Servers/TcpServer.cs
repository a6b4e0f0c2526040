using System.Net;
using System.Net.Sockets;
using Threadbook.Processes;
using Threadbook.Rendering;

namespace Threadbook.Servers;

/// <summary>
/// What <see cref="ThreadingTcpServer"/> and <see cref="ForkingTcpServer"/> share, as Python's <c>ThreadingTCPServer</c>
/// and <c>ForkingTCPServer</c> share <c>socketserver.TCPServer</c>: the listening socket, the accept loop, shutting down
/// and the counts. Only this assembly can derive from it; a server decides how each accepted client is served.
/// </summary>
/// <remarks>
/// Guarantees: the listener is bound (and <see cref="ServerAddress"/> known) when the constructor returns;
/// <see cref="ServeForever"/> returns soon after <see cref="Shutdown"/>, <see cref="Dispose"/> or its token; a failed
/// client is counted in <see cref="HandlerFailures"/>, written to standard error and raised as
/// <see cref="HandlerFailed"/> (a listener that throws cannot take a server thread down); <see cref="Dispose"/> runs once,
/// closes the port and returns only after the server's own clean-up of its clients.
/// </remarks>
public abstract class TcpServer : ITcpServer, IRenderable, IDisposable
{
    private const int PollMicroseconds = 50_000;
    private static readonly TimeSpan LoopTimeout = TimeSpan.FromSeconds(10);
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ManualResetEventSlim _loopEnded = new(true);
    private Thread? _serveThread;
    private long _accepted;
    private long _failed;
    private long _finished;
    private int _disposed;

    private protected TcpServer(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _listener = new TcpListener(endpoint);
        _listener.Start(backlog: 512);
        ServerAddress = (IPEndPoint)_listener.LocalEndpoint;
    }

    /// <summary>Raised when a handler throws (or its client could not be served); on the thread that found out.</summary>
    public event Action<HandlerFailure>? HandlerFailed;

    /// <inheritdoc />
    public IPEndPoint ServerAddress { get; }

    /// <inheritdoc />
    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections whose handler finished (normally or not).</summary>
    public long ConnectionsFinished => Interlocked.Read(ref _finished);

    /// <summary>Handlers that threw (or clients that could not be served).</summary>
    public long HandlerFailures => Interlocked.Read(ref _failed);

    /// <summary>Clients being served now.</summary>
    public abstract int ActiveConnections { get; }

    /// <summary>True once <see cref="Dispose"/> began.</summary>
    private protected bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    /// <summary>
    /// Accepts connections until <see cref="Shutdown"/>, <see cref="Dispose"/> or <paramref name="cancellationToken"/>
    /// (Python: <c>serve_forever()</c>) and has each served the server's way. Blocks the calling thread.
    /// </summary>
    public void ServeForever(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, cancellationToken);
        _loopEnded.Reset();
        try
        {
            BeforeAccepting();
            while (!either.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    // Like Python's serve_forever: wait for a connection at most a poll interval, then look at the stop flag.
                    // A blocking accept here costs no thread hops (an async accept completes on the socket engine's thread
                    // and then wakes this one), which is most of what a connection costs the server besides serving it.
                    if (!_listener.Server.Poll(PollMicroseconds, SelectMode.SelectRead))
                    {
                        continue;
                    }

                    client = _listener.AcceptSocket();
                }
                catch (SocketException) when (either.IsCancellationRequested || IsDisposed)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }

                Interlocked.Increment(ref _accepted);
                if (!Serve(client, either.Token))
                {
                    break;
                }
            }
        }
        finally
        {
            _loopEnded.Set();
        }
    }

    /// <summary>
    /// Stops <see cref="ServeForever"/> and waits for it to return (Python: <c>shutdown()</c>). Clients being served finish
    /// on their own; a <see cref="ForkingTcpServer"/>'s spares wait until <see cref="Dispose"/>.
    /// </summary>
    public void Shutdown()
    {
        _stopping.Cancel();
        _loopEnded.Wait(LoopTimeout);
        _serveThread?.Join(LoopTimeout);
    }

    /// <summary>
    /// Shuts down, closes the port, then ends the clients the server's way, so nothing is left behind (Python:
    /// <c>server_close()</c>): a <see cref="ThreadingTcpServer"/> closes every open connection and waits (up to 10 s) for
    /// the client threads to end; a <see cref="ForkingTcpServer"/> stops the spares, waits up to
    /// <see cref="ForkingTcpServer.ChildExitTimeout"/> for children still serving, kills the rest, and waits for every
    /// child process to be gone. Calling it again does nothing.
    /// </summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        _loopEnded.Wait(LoopTimeout);
        _serveThread?.Join(LoopTimeout);
        EndClients();
        _stopping.Dispose();
    }

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();

    /// <summary>Runs <see cref="ServeForever"/> on a background thread named after the address; throws when one runs already.</summary>
    /// <param name="flowExecutionContext">Whether the thread runs in the caller's execution context (async locals, the notebook cell).</param>
    private protected void StartServeThread(bool flowExecutionContext)
    {
        if (_serveThread is not null)
        {
            throw new InvalidOperationException("The server is already serving.");
        }

        _loopEnded.Reset();
        _serveThread = new Thread(() => ServeForever()) { IsBackground = true, Name = $"serve_forever {ServerAddress}" };
        if (flowExecutionContext)
        {
            _serveThread.Start();
        }
        else
        {
            _serveThread.UnsafeStart();
        }
    }

    /// <summary>Called by <see cref="ServeForever"/> on its thread before the first accept.</summary>
    private protected virtual void BeforeAccepting()
    {
    }

    /// <summary>Has <paramref name="client"/> served (the server owns the socket from here); false to end the accept loop.</summary>
    private protected abstract bool Serve(Socket client, CancellationToken stopping);

    /// <summary>Called once by <see cref="Dispose"/> after the accept loop ended and the port closed: end or wait for the clients.</summary>
    private protected abstract void EndClients();

    /// <summary>What the server shows in a notebook.</summary>
    private protected abstract Table View();

    /// <summary>Counts a connection whose handler finished.</summary>
    private protected void CountFinished() => Interlocked.Increment(ref _finished);

    /// <summary>Counts and reports a failed client: a line on standard error, then <see cref="HandlerFailed"/>.</summary>
    /// <param name="failure">The client, what went wrong, and who served it.</param>
    /// <param name="preposition">How the line puts <see cref="HandlerFailure.ServedBy"/>: "on" a thread, "in" a process.</param>
    private protected void Report(HandlerFailure failure, string preposition)
    {
        Interlocked.Increment(ref _failed);
        var error = failure.Exception;
        var text = error is RemoteException remote ? $"{remote.RemoteTypeName}: {remote.RemoteMessage}" : $"{error.GetType().Name}: {error.Message}";
        Console.Error.WriteLine($"Exception while serving {failure.Client} {preposition} {failure.ServedBy}: {text}");
        try
        {
            HandlerFailed?.Invoke(failure);
        }
        catch (Exception)
        {
            // a listener that throws must not take the server's thread down (a client thread's unhandled exception ends the process)
        }
    }
}
