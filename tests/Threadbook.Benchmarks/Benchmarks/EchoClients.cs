using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Threadbook.Hosting;

namespace Threadbook.Benchmarks;

/// <summary>
/// Clients of an echo server for the socket-server benchmarks: a group of connected clients that send request after
/// request together, and a one-shot client that connects, asks once and closes.
/// </summary>
/// <remarks>
/// The group's clients are the CPython side's own clients (<c>seed_bench.py --echo-client</c>, one process each), so
/// both sides' 8-client echo rows put the same load on their server: measured, a CPython client costs more CPU per round
/// trip than CPython's server does, and in-process C# client threads cost far less, which compared the clients as much
/// as the servers.
/// </remarks>
public sealed class EchoClients : IDisposable
{
    /// <summary>What each request sends (the CPython side sends the same bytes).</summary>
    public static readonly byte[] Message = Encoding.ASCII.GetBytes("hello, server\n");

    private readonly List<Client> _clients = [];

    /// <summary>Starts <paramref name="count"/> client processes connected to <paramref name="server"/>, each having made one round trip so its server side is up.</summary>
    /// <exception cref="InvalidOperationException">A client could not start or connect (the message has its standard error).</exception>
    public EchoClients(IPEndPoint server, int count)
    {
        try
        {
            for (var i = 0; i < count; i++)
            {
                var client = new Client(server);
                _clients.Add(client);
                client.Expect("ready");
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Every client makes <paramref name="requestsEach"/> round trips, all at once; returns when all are done.</summary>
    public void RoundTrips(int requestsEach)
    {
        var go = requestsEach.ToString(CultureInfo.InvariantCulture);
        foreach (var client in _clients)
        {
            client.Process.StandardInput.WriteLine(go);
            client.Process.StandardInput.Flush();
        }

        foreach (var client in _clients)
        {
            client.Expect("done");
        }
    }

    /// <summary>Connects to <paramref name="server"/>, makes one round trip and closes: one whole connection.</summary>
    public static void ConnectAskClose(IPEndPoint server)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveTimeout = 30_000 };
        socket.Connect(server);
        socket.Send(Message);
        var reply = new byte[Message.Length];
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

    /// <summary>Closes the clients' input (they close their connections and exit) and waits for them; kills any that hang.</summary>
    public void Dispose()
    {
        foreach (var client in _clients)
        {
            try
            {
                client.Process.StandardInput.Close();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException)
            {
                // it is gone already, or never started
            }
        }

        foreach (var client in _clients)
        {
            if (!client.Process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                client.Process.Kill();
                client.Process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            client.Process.Dispose();
        }

        _clients.Clear();
    }

    /// <summary>One client process (<c>seed_bench.py --echo-client</c>) and the lines it says on standard output.</summary>
    private sealed class Client
    {
        public Client(IPEndPoint server)
        {
            // Its "done" is read on the benchmark's own thread the moment it is written, as the measurement always was:
            // through LineReceived (the thread pool) it came late on the busy machine, ~5 µs more per forking round trip.
            Process = new ObservedProcess(
                Comparison.CPythonRunner.Interpreter,
                [Comparison.CPythonRunner.ScriptPath, "--echo-client", server.Address.ToString(), server.Port.ToString(CultureInfo.InvariantCulture)])
            {
                Input = ProcessInput.Pipe,
                ReadsOutputItself = true,
            }.Start();
        }

        public ObservedProcess Process { get; }

        /// <summary>Reads its next line, which must be <paramref name="word"/>.</summary>
        public void Expect(string word)
        {
            var line = Process.ReadOutputLine();
            if (line != word)
            {
                Process.WaitForExit(TimeSpan.FromSeconds(2));
                throw new InvalidOperationException(
                    $"An echo client (process {Process.Pid}) said '{line ?? "(nothing: it ended)"}' instead of '{word}'. {Process.StandardErrorTail}".Trim());
            }
        }
    }
}
