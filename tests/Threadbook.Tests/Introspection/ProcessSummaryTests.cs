using System.Diagnostics;
using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class ProcessSummaryTests
{
    [Fact]
    public void the_running_process_shows_its_id_name_threads_and_memory()
    {
        using var current = Process.GetCurrentProcess();

        var summary = ProcessSummary.Of(current);

        summary.Id.Should().Be(Environment.ProcessId);
        summary.IsCurrentProcess.Should().BeTrue();
        summary.HasExited.Should().BeFalse();
        summary.ThreadCount.Should().BePositive();
        summary.WorkingSetBytes.Should().BePositive();
        summary.PrivateMemoryBytes.Should().BePositive();
        summary.StartTime.Should().NotBeNull();
        summary.ShouldShowInBoth("(this process)", "MiB");
        summary.ShouldHaveFact("alive", "yes");
        summary.ShouldHaveFact("exit code", "n/a (still running)");
    }

    [Fact]
    public void an_exited_process_shows_its_exit_code_and_time_and_what_is_gone()
    {
        using var child = Process.Start(new ProcessStartInfo("sh", ["-c", "exit 3"]))!;
        child.WaitForExit();

        var summary = ProcessSummary.Of(child);

        summary.HasExited.Should().BeTrue();
        summary.ExitCode.Should().Be(3);
        summary.ExitTime.Should().NotBeNull();
        summary.ThreadCount.Should().BeNull();
        summary.ShouldShowInBoth($"Process {child.Id}");
        summary.ShouldHaveFact("alive", "no: it has exited");
        summary.ShouldHaveFact("exit code", "3");
        summary.ShouldHaveFact("threads", "n/a (exited)");
    }

    [Fact]
    public void a_process_never_started_says_nothing_is_associated()
    {
        using var unstarted = new Process();

        var summary = ProcessSummary.Of(unstarted);

        summary.Id.Should().BeNull();
        summary.HasExited.Should().BeNull();
        summary.ShouldShowInBoth("Process (no process associated)");
        summary.ShouldHaveFact("id", "unknown: no process is associated (never started, or disposed)");
        summary.ShouldHaveFact("alive", "unknown (no process)");
    }

    [Fact]
    public void a_disposed_process_renders_without_throwing()
    {
        var child = Process.Start(new ProcessStartInfo("sh", ["-c", "exit 0"]))!;
        child.WaitForExit();
        child.Dispose();

        ProcessSummary.Of(child).ShouldHaveFact("id", "unknown: no process is associated");
    }
}
