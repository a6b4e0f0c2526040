using System.Collections.Concurrent;
using Threadbook.Servers;
using Eventually = Threadbook.Tests.Processes.Eventually;

namespace Threadbook.Tests.Servers;

/// <summary><see cref="ThreadingTcpServer"/>: the servers' contract, with each client on a thread of this process, plus its daemon option.</summary>
public class ThreadingTcpServerTests : TcpServerContractTests<ThreadingTcpServer>
{
    // Foreground client threads, Python's default, so Dispose is seen to end them.
    protected override ThreadingTcpServer CreateServer() => new(() => new UpperCaseHandler()) { DaemonThreads = false };

    protected override ThreadingTcpServer StartServer() => CreateServer().Start();

    protected override double SecondsToWait => 20;

    protected override int SequentialConnections => 1000;

    protected override bool ServesEachClientInAProcessOfItsOwn => false;

    protected override (string TypeName, string Message) AsThrown(Exception reported) => (reported.GetType().FullName!, reported.Message);

    protected override string ServedBy(LineClient client) => client.Ask("thread")!;

    protected override string LaneOf(LineClient client) => $"client {client.LocalPort}";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void client_threads_are_background_threads_exactly_when_daemon_threads_is_set(bool daemonThreads)
    {
        var backgroundFlags = new ConcurrentBag<bool>();
        using (var server = new ThreadingTcpServer(() => new FlagRecordingHandler(backgroundFlags)) { DaemonThreads = daemonThreads }.Start())
        {
            for (var i = 0; i < 3; i++)
            {
                using var client = new LineClient(server.ServerAddress);
                client.Ask("x").Should().Be("x");
            }

            Eventually.True(() => server.ConnectionsFinished == 3, "three clients were served", seconds: SecondsToWait);
        }

        backgroundFlags.Should().HaveCount(3).And.OnlyContain(flag => flag == daemonThreads);
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
