using System.Collections.Concurrent;
using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

public class ChildProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void a_child_runs_in_another_process_and_its_globals_stay_its_own()
    {
        var before = Jobs.Counter;
        using var child = ChildProcess.Start(Jobs.BumpCounter);

        child.Join(Patience).Should().BeTrue();
        child.Pid.Should().NotBeNull().And.NotBe(Environment.ProcessId);
        child.Result.Should().Be(before + 1, "the child incremented its own copy of the static");
        Jobs.Counter.Should().Be(before, "a static changed in the child is unchanged in the parent");
        child.ExitCode.Should().Be(0);
        child.IsAlive.Should().BeFalse();
    }

    [Fact]
    public void two_children_are_two_different_processes()
    {
        using var first = ChildProcess.Start(Jobs.CurrentPid);
        using var second = ChildProcess.Start(Jobs.CurrentPid);
        first.Join(Patience).Should().BeTrue();
        second.Join(Patience).Should().BeTrue();

        first.Result.Should().Be(first.Pid, "the function ran in the process the child reports");
        second.Result.Should().Be(second.Pid);
        first.Pid.Should().NotBe(second.Pid);
    }

    [Fact]
    public void a_childs_output_arrives_labelled_with_its_pid()
    {
        var lines = new ConcurrentQueue<ProcessOutput>();
        var child = new ChildProcess(Jobs.Say, "hello from the child") { Output = lines.Enqueue };
        child.Start();
        child.Join(Patience).Should().BeTrue();

        lines.Should().Contain(new ProcessOutput(child.Pid!.Value, "stdout", "hello from the child"));
        lines.Should().Contain(new ProcessOutput(child.Pid!.Value, "stderr", "error stream: hello from the child"));
    }

    [Fact]
    public void by_default_a_childs_output_is_written_to_the_console_as_pid_and_line()
    {
        var original = Console.Out;
        var captured = new StringWriter();
        Console.SetOut(captured);
        try
        {
            using var child = ChildProcess.Start(Jobs.Say, "labelled");
            child.Join(Patience).Should().BeTrue();
            captured.ToString().Should().Contain($"[pid {child.Pid}] labelled");
        }
        finally
        {
            Console.SetOut(original);
        }
    }

    [Fact]
    public void a_childs_exception_comes_back_with_type_message_and_its_stack()
    {
        using var child = ChildProcess.Start(Jobs.Throw, "boom in the child");
        child.Join(Patience).Should().BeTrue();

        child.ExitCode.Should().Be(1);
        child.HasResult.Should().BeFalse();
        child.Error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom in the child");
        var error = RemoteException.Of(child.Error!)!;
        error.RemoteTypeName.Should().Be("System.InvalidOperationException");
        error.RemoteMessage.Should().Be("boom in the child");
        error.RemoteStackTrace.Should().Contain("Jobs.Throw");
        error.ProcessId.Should().Be(child.Pid!.Value);
        error.Message.Should().Contain("Throw(").And.Contain("boom in the child");
    }

    [Fact]
    public void a_child_that_exits_by_itself_reports_its_exit_code()
    {
        using var child = ChildProcess.Start(Jobs.ExitWith, 7);
        child.Join(Patience).Should().BeTrue();

        child.ExitCode.Should().Be(7);
        child.HasResult.Should().BeFalse();
        child.ToText().Should().Contain("exited with code 7");
    }

    [Fact]
    public void terminate_kills_a_running_child_at_once()
    {
        using var child = ChildProcess.Start(Jobs.SleepThenPid, 60_000);
        Eventually.True(() => child.Pid is { } pid && File.Exists($"/proc/{pid}/stat"), "the child runs");
        var started = DateTime.UtcNow;

        child.Terminate();

        child.Join(TimeSpan.FromSeconds(10)).Should().BeTrue();
        (DateTime.UtcNow - started).Should().BeLessThan(TimeSpan.FromSeconds(10));
        child.ExitCode.Should().Be(137, "SIGKILL is signal 9: 128 + 9");
        child.IsAlive.Should().BeFalse();
        Eventually.ProcessIsGone(child.Pid!.Value).Should().BeTrue();
    }

    [Fact]
    public void records_travel_both_ways_as_copies()
    {
        using var child = ChildProcess.Start(Jobs.Mirror, new Point(1, 2));
        child.Join(Patience).Should().BeTrue();

        child.Result.Should().Be(new Point(2, 1));
    }

    [Fact]
    public void a_function_returning_a_task_is_awaited_in_the_child()
    {
        using var child = ChildProcess.Start(Jobs.PlusLater, 1);
        child.Join(Patience).Should().BeTrue();

        child.Result.Should().Be(101);
    }

    [Fact]
    public void an_argument_that_cannot_travel_is_refused_before_anything_starts()
    {
        var start = () => new ChildProcess(Jobs.ReadText, new Thread(() => { }), "key");

        start.Should().Throw<ArgumentException>().WithMessage("Argument 1 (Thread) cannot be sent to another process*");
    }

    [Fact]
    public void an_argument_of_the_wrong_type_fails_the_call_naming_the_parameter()
    {
        using var child = ChildProcess.Start(Jobs.Plus, "one");
        child.Join(Patience).Should().BeTrue();

        child.Error.Should().BeOfType<ArgumentException>("the worker threw ArgumentException reading the argument");
        var error = RemoteException.Of(child.Error!)!;
        error.RemoteMessage.Should().StartWith("Argument 1 cannot be read as System.Int32 (parameter 'i')");
        child.ExitCode.Should().Be(1);
    }

    [Fact]
    public void a_lambda_is_refused_with_advice_on_what_to_pass()
    {
        var local = 1;
        var start = () => ChildProcess.Start(() => local + 1);

        start.Should().Throw<ArgumentException>().WithMessage("*lambda*public static method*");
    }

    [Fact]
    public void a_wrong_argument_count_is_refused_naming_the_parameters()
    {
        var start = () => ChildProcess.Start(Jobs.Plus, 1, 2);

        start.Should().Throw<ArgumentException>().WithMessage("*Plus takes 1 argument*2 were given*");
    }

    [Fact]
    public void join_before_start_and_a_second_start_are_refused()
    {
        var child = new ChildProcess(Jobs.Plus, 1);
        child.Invoking(c => c.Join()).Should().Throw<InvalidOperationException>().WithMessage("*not started*Start()*");

        child.Start();
        child.Invoking(c => c.Start()).Should().Throw<InvalidOperationException>().WithMessage("*already started*");
        child.Join(Patience).Should().BeTrue();
        child.Result.Should().Be(101);
    }
}
