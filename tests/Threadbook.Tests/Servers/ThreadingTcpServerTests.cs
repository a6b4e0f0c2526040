using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Threadbook.Servers;
using Eventually = Threadbook.Tests.Processes.Eventually;
using Threadbook.Tracing;

namespace Threadbook.Tests.Servers;

public class ThreadingTcpServerTests
{
    private static ThreadingTcpServer StartServer(bool daemonThreads = true) =>
        new ThreadingTcpServer(() => new UpperCaseHandler()) { DaemonThreads = daemonThreads }.Start();

    [Fact]
    public void it_binds_loopback_by_default_and_serves_each_client_on_its_own_thread()
    {
        using var server = StartServer();
        using var first = new LineClient(server.ServerAddress);
        using var second = new LineClient(server.ServerAddress);

        first.Ask("hello").Should().Be("HELLO");
        second.Ask("world").Should().Be("WORLD");

        server.ServerAddress.Address.Should().Be(IPAddress.Loopback);
        server.ActiveConnections.Should().Be(2, "both clients are being served at the same time, each by its own thread");
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
    public void a_thousand_connections_are_all_served()
    {
        using var server = StartServer();

        for (var i = 0; i < 1000; i++)
        {
            using var client = new LineClient(server.ServerAddress);
            client.Ask($"n{i}").Should().Be($"N{i}");
        }

        Eventually.True(() => server.ConnectionsFinished == 1000, "every connection's handler finished", seconds: 20);
        server.ConnectionsAccepted.Should().Be(1000);
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

        Eventually.True(() => server.ConnectionsFinished == 1, "the abandoned connection was cleaned up", seconds: 20);
        server.HandlerFailures.Should().Be(0);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("still there?").Should().Be("STILL THERE?");
    }

    [Fact]
    public void junk_bytes_end_only_that_client()
    {
        using var server = StartServer();
        var failures = new ConcurrentBag<HandlerFailure>();
        server.HandlerFailed += failures.Add;
        using (var junk = new LineClient(server.ServerAddress))
        {
            var bytes = new byte[100_000];
            new Random(7).NextBytes(bytes);
            bytes.AsSpan().Replace((byte)'\n', (byte)'x');
            junk.Send(bytes);
            junk.ServerClosed().Should().BeTrue();
        }

        Eventually.True(() => !failures.IsEmpty, "the failure was reported", seconds: 20);
        failures.Single().Exception.Should().BeOfType<InvalidDataException>();
        using var next = new LineClient(server.ServerAddress);
        next.Ask("ok").Should().Be("OK");
    }

    [Fact]
    public void a_handler_that_throws_is_reported_its_client_closed_and_the_server_serves_on()
    {
        using var server = StartServer();
        var failures = new ConcurrentBag<HandlerFailure>();
        server.HandlerFailed += failures.Add;

        using (var client = new LineClient(server.ServerAddress))
        {
            client.Ask("fine").Should().Be("FINE");
            client.Send("boom\n");
            client.ServerClosed().Should().BeTrue("the failing handler's client is closed");
        }

        Eventually.True(() => !failures.IsEmpty, "the failure was reported", seconds: 20);
        var failure = failures.Single();
        failure.Exception.Message.Should().Be("the handler was asked to fail");
        failure.ServedBy.Should().StartWith("client ");
        using var next = new LineClient(server.ServerAddress);
        next.Ask("after").Should().Be("AFTER");
    }

    [Fact]
    public void dispose_closes_open_connections_and_leaves_no_thread_or_port_behind()
    {
        var server = StartServer(daemonThreads: false);
        var clients = Enumerable.Range(0, 5).Select(_ => new LineClient(server.ServerAddress)).ToList();
        foreach (var client in clients)
        {
            client.Ask("x").Should().Be("X");
        }

        server.Dispose();

        server.ActiveConnections.Should().Be(0);
        clients.Should().OnlyContain(c => c.ServerClosed());
        clients.ForEach(c => c.Dispose());
        var connect = () => new TcpClient().Connect(server.ServerAddress);
        connect.Should().Throw<SocketException>("nothing listens on the port any more");
    }

    [Fact]
    public void serve_forever_returns_when_shut_down_from_another_thread()
    {
        using var server = new ThreadingTcpServer(() => new UpperCaseHandler());
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
        using var server = new ThreadingTcpServer(() => new UpperCaseHandler());
        using var cancel = new CancellationTokenSource();
        var loop = new Thread(() => server.ServeForever(cancel.Token)) { IsBackground = true };
        loop.Start();

        cancel.Cancel();

        loop.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();
    }

    [Fact]
    public void client_threads_follow_the_daemon_option_and_get_a_lane_each_on_the_timeline()
    {
        var backgroundFlags = new ConcurrentBag<bool>();
        using var run = TracedRun.Start("threading server", runtimeEvents: false);
        using (var server = new ThreadingTcpServer(() => new FlagRecordingHandler(backgroundFlags)) { DaemonThreads = false }.Start())
        {
            for (var i = 0; i < 3; i++)
            {
                using var client = new LineClient(server.ServerAddress);
                client.Ask("x").Should().Be("x");
            }

            Eventually.True(() => server.ConnectionsFinished == 3, "three clients were served", seconds: 20);
        }

        var trace = run.Finish(TimeSpan.FromSeconds(10)).Trace;
        backgroundFlags.Should().HaveCount(3).And.OnlyContain(flag => !flag);
        trace.Threads.Count(t => t.Name.StartsWith("client ")).Should().Be(3);
        trace.Events.Count(e => e.Kind == TraceEventKind.SpanBegan && e.Label!.StartsWith("serve 127.0.0.1:")).Should().Be(3);
    }

    private sealed class FlagRecordingHandler(ConcurrentBag<bool> flags) : TcpRequestHandler
    {
        public override void Handle()
        {
            flags.Add(Thread.CurrentThread.IsBackground);
            while (ReadLine() is { } line)
            {
                WriteLine(line);
            }
        }
    }
}
