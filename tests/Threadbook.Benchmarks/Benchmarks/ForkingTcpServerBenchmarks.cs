using BenchmarkDotNet.Attributes;
using Threadbook.Servers;

namespace Threadbook.Benchmarks;

/// <summary>
/// Threadbook's <see cref="ForkingTcpServer"/> (a child process per client, started ahead of demand) serving an echo
/// handler over loopback, against CPython's <c>socketserver.ForkingTCPServer</c> (<c>os.fork()</c> per client): requests
/// per second with 8 clients connected at once (time per round trip; each client talks to its own process), and whole
/// connections one after another (time per connection: a process booted, used once and ended per call, which is what
/// the server's spares can hide in a burst but not in a sustained stream).
/// </summary>
public class ForkingTcpServerBenchmarks
{
    private ForkingTcpServer? _server;
    private EchoClients? _clients;

    /// <summary>Starts the server (its spares ready) and connects the clients.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _server = new ForkingTcpServer(typeof(EchoHandler)).Start();
        _clients = new EchoClients(_server.ServerAddress, ThreadingTcpServerBenchmarks.Clients);
    }

    /// <summary>Closes the clients and the server (which ends every child).</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _clients?.Dispose();
        _server?.Dispose();
    }

    /// <summary>8 connected client processes (see <see cref="EchoClients"/>) each make 250 echo round trips at once; the result is per round trip.</summary>
    [Benchmark(OperationsPerInvoke = ThreadingTcpServerBenchmarks.Clients * ThreadingTcpServerBenchmarks.RequestsEach)]
    public void EchoEightClients() => _clients!.RoundTrips(ThreadingTcpServerBenchmarks.RequestsEach);

    /// <summary>Connect, one echo round trip, close: one child process used and ended per call.</summary>
    [Benchmark]
    public void SequentialConnections() => EchoClients.ConnectAskClose(_server!.ServerAddress);
}
