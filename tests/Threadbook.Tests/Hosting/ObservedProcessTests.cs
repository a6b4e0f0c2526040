using System.ComponentModel;
using System.Diagnostics;
using Threadbook.Hosting;
using Threadbook.Tests.Processes;

namespace Threadbook.Tests.Hosting;

public class ObservedProcessTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static ObservedProcess Shell(string script, Action<OutputLine>? lineReceived = null, bool capture = false) =>
        new("/bin/sh", ["-c", script]) { LineReceived = lineReceived, CaptureOutput = capture };

    [Fact]
    public void lines_arrive_in_order_from_each_stream_with_their_stream_and_pid()
    {
        var lines = new List<OutputLine>();
        using var process = Shell(
            "for i in 1 2 3 4 5; do echo out $i; echo err $i >&2; done",
            line => { lock (lines) { lines.Add(line); } }).Start();

        process.WaitForExit(Wait).Should().BeTrue();

        lock (lines)
        {
            lines.Where(l => !l.IsError).Select(l => l.Text).Should().Equal("out 1", "out 2", "out 3", "out 4", "out 5");
            lines.Where(l => l.IsError).Select(l => l.Text).Should().Equal("err 1", "err 2", "err 3", "err 4", "err 5");
            lines.Should().OnlyContain(l => l.Pid == process.Pid);
        }
    }

    [Fact]
    public void a_caller_that_reads_output_itself_gets_each_reply_in_turn_and_stderr_still_arrives()
    {
        var errors = new List<string>();
        using var process = new ObservedProcess("/bin/sh", ["-c", "while read word; do echo \"got $word\"; echo \"seen $word\" >&2; done"])
        {
            Input = ProcessInput.Pipe,
            ReadsOutputItself = true,
            LineReceived = line => { lock (errors) { errors.Add(line.Text); } },
        }.Start();

        process.StandardInput.WriteLine("one");
        process.StandardInput.Flush();
        process.ReadOutputLine().Should().Be("got one", "the reply is read on the caller's thread as the program writes it");
        process.StandardInput.WriteLine("two");
        process.StandardInput.Flush();
        process.ReadOutputLine().Should().Be("got two");
        process.StandardInput.Close();

        process.ReadOutputLine().Should().BeNull("standard output ended with the program");
        process.WaitForExit(Wait).Should().BeTrue("only standard error's end is awaited when the caller reads standard output");
        lock (errors)
        {
            errors.Should().Equal(["seen one", "seen two"], "standard error still reaches the callback, and standard output does not");
        }
    }

    [Fact]
    public void reading_output_line_by_line_is_refused_unless_asked_for()
    {
        using var process = Shell("echo hello").Start();

        var read = () => process.ReadOutputLine();

        read.Should().Throw<InvalidOperationException>().WithMessage("*ReadsOutputItself*");
    }

    [Fact]
    public void a_line_reaches_the_callback_while_the_program_still_runs()
    {
        using var first = new ManualResetEventSlim();
        using var process = Shell("echo hello; sleep 100", line => first.Set()).Start();

        first.Wait(Wait).Should().BeTrue("the line was written long before the program ends");
        process.HasExited.Should().BeFalse();
    }

    [Fact]
    public void captured_output_and_the_error_tail_keep_what_it_wrote()
    {
        using var process = Shell("echo one; echo two; for i in $(seq 1 30); do echo e$i >&2; done", capture: true).Start();

        process.WaitForExit(Wait).Should().BeTrue();

        process.CapturedOutput.Should().Be("one\ntwo\n");
        process.CapturedError.Should().StartWith("e1\n").And.EndWith("e30\n");
        process.StandardErrorTail.Split('\n').Should().HaveCount(20).And.EndWith("e30");
    }

    [Fact]
    public void the_exit_code_and_its_description_come_back()
    {
        using var process = Shell("exit 7").Start();

        process.WaitForExit(Wait).Should().BeTrue();

        process.HasExited.Should().BeTrue();
        process.ExitCode.Should().Be(7);
        process.DescribeExit().Should().Be("exited with code 7");
    }

    [Fact]
    public void a_process_killed_by_a_signal_is_described_by_the_signal_name()
    {
        using var process = Shell("kill -KILL $$").Start();

        process.WaitForExit(Wait).Should().BeTrue();

        process.ExitCode.Should().Be(137, "SIGKILL is signal 9: 128 + 9");
        process.DescribeExit().Should().Be("was killed by SIGKILL (signal 9, exit code 137)");
        ObservedProcess.DescribeExitCode(143).Should().Be("was killed by SIGTERM (signal 15, exit code 143)");
        ObservedProcess.DescribeExitCode(134).Should().Contain("SIGABRT").And.Contain("an unhandled exception or a crash");
    }

    [Fact]
    public async Task kill_ends_the_whole_tree_including_a_child_of_the_child()
    {
        var grandchild = new TaskCompletionSource<int>();
        using var process = Shell("sleep 100 & echo $!; wait", line => grandchild.TrySetResult(int.Parse(line.Text))).Start();
        var sleeper = await grandchild.Task.WaitAsync(Wait); // the shell prints its child's pid
        Directory.Exists($"/proc/{sleeper}").Should().BeTrue();

        process.Kill();

        process.WaitForExit(Wait).Should().BeTrue();
        process.DescribeExit().Should().Contain("SIGKILL");
        Eventually.True(() => Eventually.ProcessIsGone(sleeper), $"the shell's child {sleeper} is gone");
    }

    [Fact]
    public void kill_ends_a_process_without_children()
    {
        using var process = new ObservedProcess("sleep", ["100"]).Start();

        process.Kill();

        process.WaitForExit(Wait).Should().BeTrue();
        process.DescribeExit().Should().Be("was killed by SIGKILL (signal 9, exit code 137)");
    }

    [Fact]
    public async Task dispose_leaves_nothing_running()
    {
        var grandchild = new TaskCompletionSource<int>();
        var process = Shell("sleep 100 & echo $!; wait", line => grandchild.TrySetResult(int.Parse(line.Text))).Start();
        var sleeper = await grandchild.Task.WaitAsync(Wait);
        var shell = process.Pid;

        process.Dispose();

        Eventually.ProcessIsGone(shell).Should().BeTrue("Dispose waits for the program to end");
        Eventually.True(() => Eventually.ProcessIsGone(sleeper), $"the shell's child {sleeper} is gone");
    }

    [Fact]
    public void a_wait_that_times_out_says_so_and_leaves_the_program_running()
    {
        using var process = Shell("sleep 100").Start();
        var stopwatch = Stopwatch.StartNew();

        process.WaitForExit(TimeSpan.FromMilliseconds(200)).Should().BeFalse();

        stopwatch.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
        process.HasExited.Should().BeFalse();
        process.DescribeExit().Should().Be("is still running");
    }

    [Fact]
    public async Task a_cancelled_asynchronous_wait_throws_and_the_program_still_runs()
    {
        using var process = Shell("sleep 100").Start();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        var wait = () => process.WaitForExitAsync(cancel.Token);

        await wait.Should().ThrowAsync<OperationCanceledException>();
        process.HasExited.Should().BeFalse();
    }

    [Fact]
    public void a_missing_program_fails_to_start_with_an_error_naming_it()
    {
        using var process = new ObservedProcess("/no/such/program", ["--flag"]);

        var start = () => process.Start();

        start.Should().Throw<Win32Exception>().WithMessage("*'/no/such/program'*No such file or directory*");
        process.HasExited.Should().BeTrue();
        process.DescribeExit().Should().Be("could not start");
    }

    [Fact]
    public void the_environment_working_directory_and_input_are_what_was_asked()
    {
        var folder = Directory.CreateTempSubdirectory("threadbook-observed-");
        try
        {
            using var process = new ObservedProcess("/bin/sh", ["-c", "echo \"$GIVEN|${HOME:-unset}|$(pwd)\"; cat; echo read-eof"])
            {
                WorkingDirectory = folder.FullName,
                Environment = { ["GIVEN"] = "yes", ["HOME"] = null },
                CaptureOutput = true,
            }.Start();

            process.WaitForExit(Wait).Should().BeTrue("an empty standard input gives cat end-of-file at once");

            process.CapturedOutput.Should().Be($"yes|unset|{folder.FullName}\nread-eof\n");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void a_piped_input_reaches_the_program()
    {
        using var process = new ObservedProcess("/bin/sh", ["-c", "read line; echo got $line"]) { Input = ProcessInput.Pipe, CaptureOutput = true }.Start();

        process.StandardInput.WriteLine("hello");
        process.StandardInput.Close();

        process.WaitForExit(Wait).Should().BeTrue();
        process.CapturedOutput.Should().Be("got hello\n");
    }

    [Fact]
    public void a_process_starts_only_once()
    {
        using var process = Shell("true").Start();

        var again = () => process.Start();

        again.Should().Throw<InvalidOperationException>();
    }
}
