using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Threadbook.Servers;
using Threadbook.Tracing;
using Eventually = Threadbook.Tests.Processes.Eventually;

namespace Threadbook.Tests.Servers;

/// <summary>
/// What every <see cref="TcpServer"/> promises, run once for each server by a derived class: answers reach the right
/// client, what goes wrong with one client (it leaves, it sends junk, its handler throws) is reported and ends only that
/// client, and shutting down or disposing leaves nothing behind. The derived class says how the server under test is
/// made and how it names who served a client.
/// </summary>
/// <typeparam name="TServer">The server under test.</typeparam>
public abstract class TcpServerContractTests<TServer>
    where TServer : TcpServer
{
    /// <summary>A server on 127.0.0.1 and a free port serving <see cref="UpperCaseHandler"/>, not started.</summary>
    protected abstract TServer CreateServer();

    /// <summary>A server like <see cref="CreateServer"/>'s, started (serving on a thread of its own).</summary>
    protected abstract TServer StartServer();

    /// <summary>How long to wait for what a server does on its own (a child process ends later than a thread does).</summary>
    protected abstract double SecondsToWait { get; }

    /// <summary>How many connections, one after another, <c>connections_one_after_another_are_all_served_and_counted</c> makes.</summary>
    protected abstract int SequentialConnections { get; }

    /// <summary>How long to wait for all of <see cref="SequentialConnections"/> to finish.</summary>
    protected virtual double SecondsForSequentialConnectionsToFinish => SecondsToWait;

    /// <summary>True when each client is served in a child process of its own; false when by a thread of this process.</summary>
    protected abstract bool ServesEachClientInAProcessOfItsOwn { get; }

    /// <summary>The full type name and the message of what a handler threw, as the server <paramref name="reported"/> it.</summary>
    protected abstract (string TypeName, string Message) AsThrown(Exception reported);

    /// <summary>Who serves <paramref name="client"/>, as <see cref="HandlerFailure.ServedBy"/> names it (asked of the client's handler).</summary>
    protected abstract string ServedBy(LineClient client);

    /// <summary>The name of the timeline lane of whoever serves <paramref name="client"/>.</summary>
    protected abstract string LaneOf(LineClient client);

    /// <summary>
    /// Called while <paramref name="clients"/> are being served, just before <paramref name="server"/> is disposed: checks
    /// what the server runs for them besides their connections, and returns the check that all of it is gone once
    /// <see cref="TcpServer.Dispose"/> returned.
    /// </summary>
    protected virtual Action CheckNothingLeftBehind(TServer server, IReadOnlyList<LineClient> clients) => () => { };

    protected static int AskPid(LineClient client) => int.Parse(client.Ask("pid")!, CultureInfo.InvariantCulture);

    [Fact]
    public void it_binds_loopback_by_default_and_serves_clients_at_once_each_by_its_own_thread_or_process()
    {
        using var server = StartServer();
        using var first = new LineClient(server.ServerAddress);
        using var second = new LineClient(server.ServerAddress);

        first.Ask("hello").Should().Be("HELLO");
        second.Ask("world").Should().Be("WORLD");

        server.ServerAddress.Address.Should().Be(IPAddress.Loopback);
        new[] { ServedBy(first), ServedBy(second) }.Should().OnlyHaveUniqueItems("each client is served by a thread or process of its own");
        ShouldBeTheServingProcesses([AskPid(first), AskPid(second)]);
        server.ActiveConnections.Should().Be(2, "both clients are being served at the same time");
    }

    [Fact]
    public void eight_concurrent_clients_get_their_own_answers()
    {
        using var server = StartServer();
        var wrong = new ConcurrentBag<string>();

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            using var client = new LineClient(server.ServerAddress);
            for (var k = 0; k < 50; k++)
            {
                var answer = client.Ask($"client {i} message {k}");
                if (answer != $"CLIENT {i} MESSAGE {k}")
                {
                    wrong.Add(answer ?? "(closed)");
                }
            }
        });

        wrong.Should().BeEmpty();
    }

    [Fact]
    public void connections_one_after_another_are_all_served_and_counted()
    {
        using var server = StartServer();
        var pids = new List<int>();

        for (var i = 0; i < SequentialConnections; i++)
        {
            using var client = new LineClient(server.ServerAddress);
            client.Ask($"n{i}").Should().Be($"N{i}");
            pids.Add(AskPid(client));
        }

        Eventually.True(() => server.ConnectionsFinished == SequentialConnections, "every connection's handler finished", seconds: SecondsForSequentialConnectionsToFinish);
        ShouldBeTheServingProcesses(pids);
        server.ConnectionsAccepted.Should().Be(SequentialConnections);
        server.HandlerFailures.Should().Be(0);
    }

    [Fact]
    public void a_client_that_disconnects_mid_request_does_not_hurt_the_server()
    {
        using var server = StartServer();
        using (var rude = new LineClient(server.ServerAddress))
        {
            rude.Send("half a line with no end");
        }

        Eventually.True(() => server.ConnectionsFinished == 1, "the abandoned connection was cleaned up", seconds: SecondsToWait);
        server.HandlerFailures.Should().Be(0);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("still there?").Should().Be("STILL THERE?");
    }

    [Fact]
    public void junk_bytes_end_only_that_client_and_the_failure_is_reported()
    {
        using var server = StartServerCollectingFailures(out var failures);
        using (var junk = new LineClient(server.ServerAddress))
        {
            var bytes = new byte[100_000];
            new Random(7).NextBytes(bytes);
            bytes.AsSpan().Replace((byte)'\n', (byte)'x');
            junk.Send(bytes);
            junk.ServerClosed().Should().BeTrue();
        }

        AsThrown(TheOnlyFailure(failures).Exception).TypeName.Should().Be(typeof(InvalidDataException).FullName);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("ok").Should().Be("OK");
    }

    [Fact]
    public void a_handler_that_throws_is_reported_its_client_closed_and_the_server_serves_on()
    {
        using var server = StartServerCollectingFailures(out var failures);
        string servedBy;

        using (var client = new LineClient(server.ServerAddress))
        {
            client.Ask("fine").Should().Be("FINE");
            servedBy = ServedBy(client);
            client.Send("boom\n");
            client.ServerClosed().Should().BeTrue("the failing handler's client is closed");
        }

        var failure = TheOnlyFailure(failures);
        AsThrown(failure.Exception).Should().Be((typeof(InvalidOperationException).FullName!, "the handler was asked to fail"));
        failure.ServedBy.Should().Be(servedBy);
        failure.Client.Address.Should().Be(IPAddress.Loopback);
        server.HandlerFailures.Should().Be(1);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("after").Should().Be("AFTER");
    }

    [Fact]
    public void dispose_closes_open_connections_and_leaves_nothing_behind()
    {
        var server = StartServer();
        var clients = Enumerable.Range(0, 5).Select(_ => new LineClient(server.ServerAddress)).ToList();
        foreach (var client in clients)
        {
            client.Ask("x").Should().Be("X");
        }

        var checkAfterDispose = CheckNothingLeftBehind(server, clients);

        server.Dispose();

        checkAfterDispose();
        server.ActiveConnections.Should().Be(0);
        clients.Should().OnlyContain(c => c.ServerClosed());
        clients.ForEach(c => c.Dispose());
        var connect = () => new TcpClient().Connect(server.ServerAddress);
        connect.Should().Throw<SocketException>("nothing listens on the port any more");
    }

    [Fact]
    public void serve_forever_returns_when_shut_down_from_another_thread()
    {
        using var server = CreateServer();
        var loop = new Thread(() => server.ServeForever()) { IsBackground = true };
        loop.Start();
        using (var client = new LineClient(server.ServerAddress))
        {
            client.Ask("a").Should().Be("A");
        }

        server.Shutdown();

        loop.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();
    }

    [Fact]
    public void serve_forever_returns_when_cancelled()
    {
        using var server = CreateServer();
        using var cancel = new CancellationTokenSource();
        var loop = new Thread(() => server.ServeForever(cancel.Token)) { IsBackground = true };
        loop.Start();

        cancel.Cancel();

        loop.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();
    }

    [Fact]
    public void each_client_gets_a_lane_on_the_timeline_with_its_serve_span()
    {
        using var run = TracedRun.Start($"{typeof(TServer).Name} lanes", runtimeEvents: false);
        var lanes = new List<string>();
        using (var server = StartServer())
        {
            for (var i = 0; i < 3; i++)
            {
                using var client = new LineClient(server.ServerAddress);
                client.Ask("x").Should().Be("X");
                lanes.Add(LaneOf(client));
            }

            Eventually.True(() => server.ConnectionsFinished == 3, "three clients were served", seconds: SecondsToWait);
        }

        var trace = run.Finish(TimeSpan.FromSeconds(10)).Trace;
        var clientLanes = trace.Threads.Where(t => t.Name.StartsWith("client ", StringComparison.Ordinal)).ToList();
        clientLanes.Select(t => t.Name).Should().BeEquivalentTo(lanes);
        trace.Events.Count(e => e.Kind == TraceEventKind.SpanBegan && e.Label!.StartsWith("serve 127.0.0.1:")).Should().Be(3);
        trace.Events.Count(e => e.Kind == TraceEventKind.SpanEnded && clientLanes.Any(t => t.ThreadId == e.ThreadId)).Should().Be(3);
    }

    private TServer StartServerCollectingFailures(out ConcurrentBag<HandlerFailure> failures)
    {
        var server = StartServer();
        var reported = new ConcurrentBag<HandlerFailure>();
        server.HandlerFailed += reported.Add;
        failures = reported;
        return server;
    }

    private HandlerFailure TheOnlyFailure(ConcurrentBag<HandlerFailure> failures)
    {
        Eventually.True(() => !failures.IsEmpty, "the failure was reported", seconds: SecondsToWait);
        return failures.Single();
    }

    private void ShouldBeTheServingProcesses(IReadOnlyCollection<int> pids)
    {
        if (ServesEachClientInAProcessOfItsOwn)
        {
            pids.Should().OnlyHaveUniqueItems("each process serves exactly one client").And.NotContain(Environment.ProcessId);
        }
        else
        {
            pids.Should().OnlyContain(pid => pid == Environment.ProcessId, "the clients are served by threads of this process");
        }
    }
}
