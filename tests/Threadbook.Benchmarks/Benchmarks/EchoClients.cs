using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Threadbook.Benchmarks;

/// <summary>
/// Clients of an echo server for the socket-server benchmarks: a group of connected clients on threads of their own
/// that send request after request together, and a one-shot client that connects, asks once and closes.
/// </summary>
public sealed class EchoClients : IDisposable
{
    /// <summary>What each request sends (the CPython side sends the same bytes).</summary>
    public static readonly byte[] Message = Encoding.ASCII.GetBytes("hello, server\n");

    private readonly List<Socket> _sockets = [];
    private readonly List<Thread> _threads = [];
    private readonly Barrier _barrier;
    private volatile int _requestsEach;
    private volatile bool _stopping;

    /// <summary>Connects <paramref name="count"/> clients to <paramref name="server"/>, each making one round trip so its server side is up.</summary>
    public EchoClients(IPEndPoint server, int count)
    {
        _barrier = new Barrier(count + 1);
        for (var i = 0; i < count; i++)
        {
            var socket = Connect(server);
            RoundTrip(socket, new byte[Message.Length]);
            _sockets.Add(socket);
            var thread = new Thread(Run) { IsBackground = true, Name = $"echo client {i}" };
            _threads.Add(thread);
            thread.Start(socket);
        }
    }

    /// <summary>Every client makes <paramref name="requestsEach"/> round trips, all at once; returns when all are done.</summary>
    public void RoundTrips(int requestsEach)
    {
        _requestsEach = requestsEach;
        _barrier.SignalAndWait(); // go
        _barrier.SignalAndWait(); // all done
    }

    /// <summary>Connects to <paramref name="server"/>, makes one round trip and closes: one whole connection.</summary>
    public static void ConnectAskClose(IPEndPoint server)
    {
        using var socket = Connect(server);
        RoundTrip(socket, new byte[Message.Length]);
    }

    /// <summary>Stops the client threads and closes their connections.</summary>
    public void Dispose()
    {
        _stopping = true;
        _barrier.SignalAndWait();
        _threads.ForEach(t => t.Join());
        _sockets.ForEach(s => s.Dispose());
        _barrier.Dispose();
    }

    private static Socket Connect(IPEndPoint server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 30_000 };
        socket.Connect(server);
        return socket;
    }

    private static void RoundTrip(Socket socket, byte[] reply)
    {
        socket.Send(Message);
        var received = 0;
        while (received < reply.Length)
        {
            var n = socket.Receive(reply, received, reply.Length - received, SocketFlags.None);
            if (n == 0)
            {
                throw new InvalidOperationException("The echo server closed the connection.");
            }

            received += n;
        }
    }

    private void Run(object? state)
    {
        var socket = (Socket)state!;
        var reply = new byte[Message.Length];
        while (true)
        {
            _barrier.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            for (var i = _requestsEach; i > 0; i--)
            {
                RoundTrip(socket, reply);
            }

            _barrier.SignalAndWait();
        }
    }
}
