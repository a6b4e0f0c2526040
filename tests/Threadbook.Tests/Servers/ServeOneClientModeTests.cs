using System.Diagnostics;
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
        var start = new ProcessStartInfo(WorkerLocator.DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(WarmWorkers.WorkerPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove(ForkedClient.TokenVariable);
        if (token is not null)
        {
            start.Environment[ForkedClient.TokenVariable] = token;
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
        {
            process.Kill();
            process.WaitForExit();
            throw new TimeoutException("The worker did not exit within 30 s.");
        }

        return (process.ExitCode, stderr.Result);
    }

    private static string[] Arguments(string handoff) =>
        ForkedClient.Arguments(Environment.ProcessId, handoff, typeof(UpperCaseHandler).Assembly.Location, typeof(UpperCaseHandler).FullName!);

    [Fact]
    public void a_child_started_without_its_token_refuses_naming_the_variable()
    {
        var (exitCode, stderr) = RunWorker(token: null, Arguments("@threadbook-test-nobody-listens"));

        exitCode.Should().Be(WorkerMessages.ExitBadStart);
        stderr.Should().Contain(ForkedClient.TokenVariable);
    }

    [Fact]
    public void a_child_whose_server_is_gone_says_so_and_exits()
    {
        var handoff = $"@threadbook-test-gone-{Guid.NewGuid():N}";

        var (exitCode, stderr) = RunWorker(new string('a', ForkedClient.TokenLength), Arguments(handoff));

        exitCode.Should().Be(WorkerMessages.ExitBadStart);
        stderr.Should().Contain("hand-off socket").And.Contain(handoff);
    }

    [Fact]
    public void an_unknown_option_is_named()
    {
        var (exitCode, stderr) = RunWorker(new string('a', ForkedClient.TokenLength), ForkedClient.ModeSwitch, "--handof", "x");

        exitCode.Should().Be(WorkerMessages.ExitBadStart);
        stderr.Should().Contain("'--handof'");
    }
}
