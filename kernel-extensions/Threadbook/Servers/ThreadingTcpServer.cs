using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Servers;

/// <summary>
/// Python's <c>socketserver.ThreadingTCPServer</c>: accepts connections in <see cref="ServeForever"/> and serves each
/// on a thread of its own with a fresh handler. Binds to loopback unless told otherwise. A handler that throws is
/// reported (<see cref="HandlerFailed"/>, and a line on standard error), its client is closed, and the server goes on.
/// <see cref="Shutdown"/> stops the loop from another thread; <see cref="Dispose"/> also closes open connections and
/// waits for their threads, so nothing is left behind.
/// </summary>
public sealed class ThreadingTcpServer : ITcpServer, IRenderable, IDisposable
{
    private const int PollMicroseconds = 50_000;
    private readonly Func<TcpRequestHandler> _createHandler;
    private readonly TcpListener _listener;
    private readonly ConcurrentDictionary<Thread, Socket> _clients = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ManualResetEventSlim _loopEnded = new(true);
    private Thread? _serveThread;
    private long _accepted;
    private long _failed;
    private long _finished;
    private int _disposed;

    /// <summary>Creates a server on <paramref name="endpoint"/> (port 0 picks a free port) that serves each client with a new handler.</summary>
    public ThreadingTcpServer(IPEndPoint endpoint, Func<TcpRequestHandler> createHandler)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _createHandler = createHandler ?? throw new ArgumentNullException(nameof(createHandler));
        _listener = new TcpListener(endpoint);
        _listener.Start(backlog: 512);
        ServerAddress = (IPEndPoint)_listener.LocalEndpoint;
    }

    /// <summary>Creates a server on 127.0.0.1 and a free port.</summary>
    public ThreadingTcpServer(Func<TcpRequestHandler> createHandler)
        : this(new IPEndPoint(IPAddress.Loopback, 0), createHandler)
    {
    }

    /// <summary>Raised (on the client's thread) when a handler throws.</summary>
    public event Action<HandlerFailure>? HandlerFailed;

    /// <inheritdoc />
    public IPEndPoint ServerAddress { get; }

    /// <summary>
    /// Python's <c>daemon_threads</c>: when true, client threads are background threads that do not keep a process
    /// alive; when false (the default, as in Python), they are foreground threads.
    /// </summary>
    public bool DaemonThreads { get; init; }

    /// <inheritdoc />
    public long ConnectionsAccepted => Interlocked.Read(ref _accepted);

    /// <summary>Connections whose handler finished (normally or not).</summary>
    public long ConnectionsFinished => Interlocked.Read(ref _finished);

    /// <summary>Handlers that threw.</summary>
    public long HandlerFailures => Interlocked.Read(ref _failed);

    /// <summary>Clients being served now.</summary>
    public int ActiveConnections => _clients.Count;

    /// <summary>
    /// Accepts connections until <see cref="Shutdown"/>, <see cref="Dispose"/> or <paramref name="cancellationToken"/>
    /// (Python: <c>serve_forever()</c>). Blocks the calling thread.
    /// </summary>
    public void ServeForever(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token, cancellationToken);
        _loopEnded.Reset();
        try
        {
            while (!either.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    // Like Python's serve_forever: wait for a connection at most a poll interval, then look at the stop flag.
                    // A blocking accept here costs no thread hops (an async accept completes on the socket engine's thread
                    // and then wakes this one), which is most of what a connection costs the server besides its thread.
                    if (!_listener.Server.Poll(PollMicroseconds, SelectMode.SelectRead))
                    {
                        continue;
                    }

                    client = _listener.AcceptSocket();
                }
                catch (SocketException) when (either.IsCancellationRequested || _disposed != 0)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }

                Interlocked.Increment(ref _accepted);
                StartClientThread(client);
            }
        }
        finally
        {
            _loopEnded.Set();
        }
    }

    /// <summary>Runs <see cref="ServeForever"/> on a background thread and returns at once.</summary>
    public ThreadingTcpServer Start()
    {
        if (_serveThread is not null)
        {
            throw new InvalidOperationException("The server is already serving.");
        }

        _loopEnded.Reset();
        _serveThread = new Thread(() => ServeForever()) { IsBackground = true, Name = $"serve_forever {ServerAddress}" };
        _serveThread.Start();
        return this;
    }

    /// <summary>Stops <see cref="ServeForever"/> and waits for it to return (Python: <c>shutdown()</c>). Clients being served finish on their own.</summary>
    public void Shutdown()
    {
        _stopping.Cancel();
        _loopEnded.Wait(TimeSpan.FromSeconds(10));
        _serveThread?.Join(TimeSpan.FromSeconds(10));
    }

    /// <summary>Shuts down, closes every open connection and waits (up to 10 s) for the client threads to end.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stopping.Cancel();
        _listener.Stop();
        _loopEnded.Wait(TimeSpan.FromSeconds(10));
        _serveThread?.Join(TimeSpan.FromSeconds(10));
        foreach (var (thread, socket) in _clients.ToArray())
        {
            socket.Close();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach (var thread in _clients.Keys.ToArray())
        {
            thread.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero));
        }

        _stopping.Dispose();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void StartClientThread(Socket client)
    {
        var address = (IPEndPoint)client.RemoteEndPoint!;
        var thread = new Thread(() => Serve(client, address))
        {
            IsBackground = DaemonThreads,
            Name = $"client {address.Port}",
        };
        _clients[thread] = client;
        thread.Start();
    }

    private void Serve(Socket client, IPEndPoint address)
    {
        using var span = TraceRecorder.Span($"serve {address}");
        try
        {
            HandlerRun.Serve(_createHandler(), client, address, this, () => _disposed != 0);
        }
        catch (Exception e)
        {
            Interlocked.Increment(ref _failed);
            var failure = new HandlerFailure(address, e, Thread.CurrentThread.Name ?? "client thread");
            Console.Error.WriteLine($"Exception while serving {address} on {failure.ServedBy}: {e.GetType().Name}: {e.Message}");
            try
            {
                HandlerFailed?.Invoke(failure);
            }
            catch (Exception)
            {
                // a listener that throws must not end the client thread with an unhandled exception (that ends the process)
            }
        }
        finally
        {
            client.Close();
            _clients.TryRemove(Thread.CurrentThread, out _);
            Interlocked.Increment(ref _finished);
        }
    }

    private Table View() =>
        new Table("listening on", "accepted", "serving now", "finished", "handler failures", "client threads")
        {
            Caption = "ThreadingTcpServer: a thread per client",
        }.AddRow(ServerAddress, ConnectionsAccepted, ActiveConnections, ConnectionsFinished, HandlerFailures, DaemonThreads ? "daemon (background)" : "foreground");

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();
}
