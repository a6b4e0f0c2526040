using System.Collections.Concurrent;
using System.Globalization;
using Threadbook.Processes;
using Threadbook.Servers;
using Eventually = Threadbook.Tests.Processes.Eventually;

namespace Threadbook.Tests.Servers;

/// <summary>
/// <see cref="ForkingTcpServer"/>: the servers' contract, with each client in a child process of its own, plus what
/// only a forking server has: the children's ids and console output, and handler types a child must be able to create.
/// </summary>
public class ForkingTcpServerTests : TcpServerContractTests<ForkingTcpServer>
{
    // A short ChildExitTimeout: Dispose with clients still connected kills their children after a second, not five.
    protected override ForkingTcpServer CreateServer() => new(typeof(UpperCaseHandler)) { ChildExitTimeout = TimeSpan.FromSeconds(1) };

    protected override ForkingTcpServer StartServer() => CreateServer().Start();

    protected override double SecondsToWait => 30;

    // Every connection boots a .NET process (about 0.2 s of CPU), so this is 200, not the threading server's 1000:
    // 1000 passed here too, in 4 minutes on a busy 2-core machine, which is too long for every test run.
    protected override int SequentialConnections => 200;

    protected override double SecondsForSequentialConnectionsToFinish => 60;

    protected override bool ServesEachClientInAProcessOfItsOwn => true;

    protected override (string TypeName, string Message) AsThrown(Exception reported)
    {
        var remote = reported.Should().BeOfType<RemoteException>("the failure comes back from the child").Subject;
        return (remote.RemoteTypeName, remote.RemoteMessage);
    }

    protected override string ServedBy(LineClient client) => $"process {AskPid(client)}";

    protected override string LaneOf(LineClient client) => $"client {client.LocalPort} (process {AskPid(client)})";

    protected override Action CheckNothingLeftBehind(ForkingTcpServer server, IReadOnlyList<LineClient> clients)
    {
        var servingPids = clients.Select(AskPid).ToList();
        Eventually.True(() => server.ReadySpares == server.SpareProcesses, "the spares were replaced", seconds: SecondsToWait);
        var everyChild = server.ChildProcessIds.ToList();
        everyChild.Should().Contain(servingPids).And.HaveCount(servingPids.Count + server.SpareProcesses);
        return () =>
        {
            everyChild.Should().OnlyContain(pid => !Directory.Exists($"/proc/{pid}"), "Dispose waits until every child process has ended");
            server.ChildProcessIds.Should().BeEmpty();
        };
    }

    [Fact]
    public void served_by_process_ids_lists_the_child_that_served_each_client()
    {
        using var server = StartServer();
        var clients = Enumerable.Range(0, 8).Select(_ => new LineClient(server.ServerAddress)).ToList();

        var pids = clients.Select(AskPid).ToList();

        pids.Should().OnlyHaveUniqueItems();
        server.ServedByProcessIds.Should().BeEquivalentTo(pids);
        clients.ForEach(c => c.Dispose());
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

        Eventually.True(() => lines.Any(l => l.Line == "hello from the child"), "the child's line arrived", seconds: SecondsToWait);
        lines.Single(l => l.Line == "hello from the child").Should().Be(new ProcessOutput(pid, "stdout", "hello from the child"));
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
