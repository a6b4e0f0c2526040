using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Threadbook.Processes;
using Threadbook.Servers;
using Eventually = Threadbook.Tests.Processes.Eventually;
using Threadbook.Tracing;

namespace Threadbook.Tests.Servers;

public class ForkingTcpServerTests
{
    private static ForkingTcpServer StartServer(TimeSpan? childExitTimeout = null) =>
        new ForkingTcpServer(typeof(UpperCaseHandler)) { ChildExitTimeout = childExitTimeout ?? TimeSpan.FromSeconds(5) }.Start();

    private static bool IsGone(int pid) => !Directory.Exists($"/proc/{pid}");

    private static int AskPid(LineClient client) => int.Parse(client.Ask("pid")!, CultureInfo.InvariantCulture);

    [Fact]
    public void it_binds_loopback_by_default_and_serves_each_client_in_a_child_process_of_its_own()
    {
        using var server = StartServer();
        using var first = new LineClient(server.ServerAddress);
        using var second = new LineClient(server.ServerAddress);

        first.Ask("hello").Should().Be("HELLO");
        second.Ask("world").Should().Be("WORLD");
        var pids = new[] { AskPid(first), AskPid(second) };

        server.ServerAddress.Address.Should().Be(IPAddress.Loopback);
        pids.Should().OnlyHaveUniqueItems().And.NotContain(Environment.ProcessId);
        server.ServedByProcessIds.Should().BeEquivalentTo(pids);
        server.ActiveConnections.Should().Be(2, "both clients are being served at the same time, each by its own process");
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
        server.ServedByProcessIds.Should().HaveCount(8).And.OnlyHaveUniqueItems();
    }

    // Every connection boots a .NET process (about 0.2 s of CPU), so this is 200, not the 1000 of the threading test:
    // 1000 passed here too, in 4 minutes on a busy 2-core machine, which is too long for every test run.
    private const int SequentialConnections = 200;

    [Fact]
    public void two_hundred_sequential_connections_are_each_served_by_a_process_of_their_own()
    {
        using var server = StartServer();
        var pids = new HashSet<int>();

        for (var i = 0; i < SequentialConnections; i++)
        {
            using var client = new LineClient(server.ServerAddress);
            client.Ask($"n{i}").Should().Be($"N{i}");
            pids.Add(AskPid(client));
        }

        Eventually.True(() => server.ConnectionsFinished == SequentialConnections, "every child process ended", seconds: 60);
        pids.Should().HaveCount(SequentialConnections, "each process serves exactly one client");
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

        Eventually.True(() => server.ConnectionsFinished == 1, "the abandoned connection's process ended", seconds: 30);
        server.HandlerFailures.Should().Be(0);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("still there?").Should().Be("STILL THERE?");
    }

    [Fact]
    public void junk_bytes_end_only_that_client_and_the_failure_comes_back_from_the_child()
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

        Eventually.True(() => !failures.IsEmpty, "the failure was reported", seconds: 30);
        failures.Single().Exception.Should().BeOfType<RemoteException>()
            .Which.RemoteTypeName.Should().Be(typeof(InvalidDataException).FullName);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("ok").Should().Be("OK");
    }

    [Fact]
    public void a_handler_that_throws_is_reported_its_client_closed_and_the_server_serves_on()
    {
        using var server = StartServer();
        var failures = new ConcurrentBag<HandlerFailure>();
        server.HandlerFailed += failures.Add;
        int pid;

        using (var client = new LineClient(server.ServerAddress))
        {
            client.Ask("fine").Should().Be("FINE");
            pid = AskPid(client);
            client.Send("boom\n");
            client.ServerClosed().Should().BeTrue("the failing child exits, which closes its client");
        }

        Eventually.True(() => !failures.IsEmpty, "the failure was reported", seconds: 30);
        var failure = failures.Single();
        failure.Exception.Should().BeOfType<RemoteException>().Which.RemoteMessage.Should().Be("the handler was asked to fail");
        failure.ServedBy.Should().Be($"process {pid}");
        failure.Client.Address.Should().Be(IPAddress.Loopback);
        using var next = new LineClient(server.ServerAddress);
        next.Ask("after").Should().Be("AFTER");
    }

    [Fact]
    public void a_childs_console_output_arrives_labelled_with_its_pid()
    {
        var lines = new ConcurrentQueue<ProcessOutput>();
        using var server = StartServer();
        server.Output = lines.Enqueue;
        int pid;
        using (var client = new LineClient(server.ServerAddress))
        {
            pid = AskPid(client);
            client.Ask("say hello from the child").Should().Be("SAID");
        }

        Eventually.True(() => lines.Any(l => l.Line == "hello from the child"), "the child's line arrived", seconds: 30);
        lines.Single(l => l.Line == "hello from the child").Should().Be(new ProcessOutput(pid, "stdout", "hello from the child"));
    }

    [Fact]
    public void dispose_stops_spares_and_busy_children_and_leaves_no_process_or_port_behind()
    {
        var server = StartServer(childExitTimeout: TimeSpan.FromSeconds(1));
        var clients = Enumerable.Range(0, 3).Select(_ => new LineClient(server.ServerAddress)).ToList();
        var servingPids = clients.Select(AskPid).ToList();
        Eventually.True(() => server.ReadySpares == server.SpareProcesses, "the spares were replaced", seconds: 30);
        var everyChild = server.ChildProcessIds.ToList();
        everyChild.Should().Contain(servingPids).And.HaveCount(servingPids.Count + server.SpareProcesses);

        server.Dispose();

        everyChild.Should().OnlyContain(pid => IsGone(pid), "Dispose waits until every child process has ended");
        server.ChildProcessIds.Should().BeEmpty();
        clients.Should().OnlyContain(c => c.ServerClosed());
        clients.ForEach(c => c.Dispose());
        var connect = () => new TcpClient().Connect(server.ServerAddress);
        connect.Should().Throw<SocketException>("nothing listens on the port any more");
    }

    [Fact]
    public void serve_forever_returns_when_shut_down_from_another_thread()
    {
        using var server = new ForkingTcpServer(typeof(UpperCaseHandler));
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
        using var server = new ForkingTcpServer(typeof(UpperCaseHandler));
        using var cancel = new CancellationTokenSource();
        var loop = new Thread(() => server.ServeForever(cancel.Token)) { IsBackground = true };
        loop.Start();

        cancel.Cancel();

        loop.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();
    }

    [Fact]
    public void each_client_process_gets_a_lane_on_the_timeline()
    {
        using var run = TracedRun.Start("forking server", runtimeEvents: false);
        var pids = new List<int>();
        using (var server = StartServer())
        {
            for (var i = 0; i < 3; i++)
            {
                using var client = new LineClient(server.ServerAddress);
                pids.Add(AskPid(client));
            }

            Eventually.True(() => server.ConnectionsFinished == 3, "three clients were served", seconds: 30);
        }

        var trace = run.Finish(TimeSpan.FromSeconds(10)).Trace;
        trace.Threads.Select(t => t.Name).Where(name => name.Contains("(process ")).Should().HaveCount(3)
            .And.OnlyContain(name => pids.Any(pid => name.EndsWith($"(process {pid})")));
        trace.Events.Count(e => e.Kind == TraceEventKind.SpanBegan && e.Label!.StartsWith("serve 127.0.0.1:")).Should().Be(3);
        trace.Events.Count(e => e.Kind == TraceEventKind.SpanEnded && e.ThreadId < 0).Should().Be(3);
    }

    [Theory]
    [InlineData(typeof(string), "derived from TcpRequestHandler")]
    [InlineData(typeof(TcpRequestHandler), "non-abstract")]
    [InlineData(typeof(NoParameterlessConstructorHandler), "public parameterless constructor")]
    public void a_handler_type_a_child_cannot_create_is_rejected_with_a_clear_error(Type handlerType, string reason)
    {
        var create = () => new ForkingTcpServer(handlerType);

        create.Should().Throw<ArgumentException>().WithMessage($"*{reason}*");
    }

    [Fact]
    public void start_says_why_when_the_children_cannot_make_a_handler()
    {
        using var server = new ForkingTcpServer(typeof(ThrowingConstructorHandler));

        var start = () => server.Start();

        start.Should().Throw<WorkerStartException>().WithMessage("*no handler for you*");
    }

    public sealed class NoParameterlessConstructorHandler(int unused) : TcpRequestHandler
    {
        public override void Handle() => WriteLine(unused.ToString(CultureInfo.InvariantCulture));
    }

    public sealed class ThrowingConstructorHandler : TcpRequestHandler
    {
        public ThrowingConstructorHandler() => throw new InvalidOperationException("no handler for you");

        public override void Handle()
        {
        }
    }
}
