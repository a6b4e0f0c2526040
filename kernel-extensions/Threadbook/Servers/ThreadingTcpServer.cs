using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Servers;

/// <summary>
/// Python's <c>socketserver.ThreadingTCPServer</c>: accepts connections in <see cref="TcpServer.ServeForever"/> and
/// serves each on a thread of its own with a fresh handler. Binds to loopback unless told otherwise. A handler that
/// throws is reported (<see cref="TcpServer.HandlerFailed"/>, and a line on standard error), its client is closed, and
/// the server goes on. <see cref="TcpServer.Shutdown"/> stops the loop from another thread;
/// <see cref="TcpServer.Dispose"/> also closes open connections and waits for their threads, so nothing is left behind.
/// </summary>
public sealed class ThreadingTcpServer : TcpServer
{
    private readonly Func<TcpRequestHandler> _createHandler;
    private readonly ConcurrentDictionary<Thread, Socket> _clients = new();

    /// <summary>Creates a server on <paramref name="endpoint"/> (port 0 picks a free port) that serves each client with a new handler.</summary>
    public ThreadingTcpServer(IPEndPoint endpoint, Func<TcpRequestHandler> createHandler)
        : base(endpoint)
    {
        _createHandler = createHandler ?? throw new ArgumentNullException(nameof(createHandler));
    }

    /// <summary>Creates a server on 127.0.0.1 and a free port.</summary>
    public ThreadingTcpServer(Func<TcpRequestHandler> createHandler)
        : this(new IPEndPoint(IPAddress.Loopback, 0), createHandler)
    {
    }

    /// <summary>
    /// Python's <c>daemon_threads</c>: when true, client threads are background threads that do not keep a process
    /// alive; when false (the default, as in Python), they are foreground threads.
    /// </summary>
    public bool DaemonThreads { get; init; }

    /// <inheritdoc />
    public override int ActiveConnections => _clients.Count;

    /// <summary>Runs <see cref="TcpServer.ServeForever"/> on a background thread and returns at once.</summary>
    public ThreadingTcpServer Start()
    {
        StartServeThread(flowExecutionContext: true);
        return this;
    }

    /// <summary>Starts a thread that serves <paramref name="client"/>.</summary>
    private protected override bool Serve(Socket client, CancellationToken stopping)
    {
        var address = (IPEndPoint)client.RemoteEndPoint!;
        var thread = new Thread(() => ServeOnThisThread(client, address))
        {
            IsBackground = DaemonThreads,
            Name = $"client {address.Port}",
        };
        _clients[thread] = client;
        thread.Start();
        return true;
    }

    /// <summary>Closes every open connection and waits (up to 10 s in all) for the client threads to end.</summary>
    private protected override void EndClients()
    {
        foreach (var socket in _clients.Values.ToArray())
        {
            socket.Close();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        foreach (var thread in _clients.Keys.ToArray())
        {
            thread.Join(Max(deadline - DateTime.UtcNow, TimeSpan.Zero));
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private void ServeOnThisThread(Socket client, IPEndPoint address)
    {
        using var span = TraceRecorder.Span($"serve {address}");
        try
        {
            HandlerRun.Serve(_createHandler(), client, address, this, () => IsDisposed);
        }
        catch (Exception e)
        {
            Report(new HandlerFailure(address, e, Thread.CurrentThread.Name ?? "client thread"), "on");
        }
        finally
        {
            client.Close();
            _clients.TryRemove(Thread.CurrentThread, out _);
            CountFinished();
        }
    }

    private protected override Table View() =>
        new Table("listening on", "accepted", "serving now", "finished", "handler failures", "client threads")
        {
            Caption = "ThreadingTcpServer: a thread per client",
        }.AddRow(ServerAddress, ConnectionsAccepted, ActiveConnections, ConnectionsFinished, HandlerFailures, DaemonThreads ? "daemon (background)" : "foreground");
}
