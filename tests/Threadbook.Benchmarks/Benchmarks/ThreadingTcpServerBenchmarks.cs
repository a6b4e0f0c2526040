using BenchmarkDotNet.Attributes;
using Threadbook.Servers;

namespace Threadbook.Benchmarks;

/// <summary>
/// Threadbook's <see cref="ThreadingTcpServer"/> (a thread per client) serving an echo handler over loopback, against
/// CPython's <c>socketserver.ThreadingTCPServer</c>: requests per second with 8 clients connected at once (the CPython
/// side's own client processes, see <see cref="EchoClients"/>; reported as time per round trip), and whole connections one after another (connect, one request, close; time per connection).
/// </summary>
public class ThreadingTcpServerBenchmarks
{
    /// <summary>Clients sending requests at the same time.</summary>
    public const int Clients = 8;

    /// <summary>Round trips each client makes per benchmark invocation.</summary>
    public const int RequestsEach = 250;

    private ThreadingTcpServer? _server;
    private EchoClients? _clients;

    /// <summary>Starts the server and connects the clients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _server = new ThreadingTcpServer(() => new EchoHandler()) { DaemonThreads = true }.Start();
        _clients = new EchoClients(_server.ServerAddress, Clients);
    }

    /// <summary>Closes the clients and the server.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _clients?.Dispose();
        _server?.Dispose();
    }

    /// <summary>8 connected client processes each make <see cref="RequestsEach"/> echo round trips at once; the result is per round trip.</summary>
    [Benchmark(OperationsPerInvoke = Clients * RequestsEach)]
    public void EchoEightClients() => _clients!.RoundTrips(RequestsEach);

    /// <summary>Connect, one echo round trip, close: one thread started and ended on the server per call.</summary>
    [Benchmark]
    public void SequentialConnections() => EchoClients.ConnectAskClose(_server!.ServerAddress);
}
