using Threadbook.Hosting;
using Threadbook.Processes;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;
using Threadbook.Servers;

namespace Threadbook.Tests.Servers;

/// <summary>The worker's <c>--serve-one</c> mode (a forking server's child) started by hand with something missing.</summary>
public class ServeOneClientModeTests
{
    private static (int ExitCode, string Stderr) RunWorker(string? token, params string[] arguments)
    {
        using var process = new ObservedProcess(WorkerLocator.DotnetHost, [WarmWorkers.WorkerPath, .. arguments])
        {
            Environment = { [ForkedChildProgram.TokenVariable] = token },
            CaptureOutput = true,
        }.Start();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The worker did not exit within 30 s.");
        }

        return (process.ExitCode!.Value, process.CapturedError);
    }

    private static string[] Arguments(string handoff) =>
        ForkedChildProgram.Arguments(Environment.ProcessId, handoff, typeof(UpperCaseHandler).Assembly.Location, typeof(UpperCaseHandler).FullName!);

    [Fact]
    public void a_child_started_without_its_token_refuses_naming_the_variable()
    {
        var (exitCode, stderr) = RunWorker(token: null, Arguments("@threadbook-test-nobody-listens"));

        exitCode.Should().Be(WorkerMessages.ExitBadStart);
        stderr.Should().Contain(ForkedChildProgram.TokenVariable);
    }

    [Fact]
    public void a_child_whose_server_is_gone_says_so_and_exits()
    {
        var handoff = $"@threadbook-test-gone-{Guid.NewGuid():N}";

        var (exitCode, stderr) = RunWorker(new string('a', ForkedChildProgram.TokenLength), Arguments(handoff));

        exitCode.Should().Be(WorkerMessages.ExitBadStart);
        stderr.Should().Contain("hand-off socket").And.Contain(handoff);
    }

    [Fact]
    public void an_unknown_option_is_named()
    {
        var (exitCode, stderr) = RunWorker(new string('a', ForkedChildProgram.TokenLength), ForkedChildProgram.ModeSwitch, "--handof", "x");

        exitCode.Should().Be(WorkerMessages.ExitBadStart);
        stderr.Should().Contain("'--handof'");
    }
}
