using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>A remote exception says where in the source it was raised when the remote stack knows.</summary>
public class RemoteExceptionTests
{
    [Fact]
    public void the_location_is_the_first_frame_with_a_file_and_line()
    {
        var stack = string.Join(Environment.NewLine,
            "   at System.Number.ThrowOverflowException(String value)",
            "   at Jobs.Parse(String text) in /home/learner/src/Jobs.cs:line 17",
            "   at Program.Main() in /home/learner/src/Program.cs:line 4");

        var error = new RemoteException("System.OverflowException", "too big", stack, 42, "Parse(\"9999999999\")");

        error.RemoteLocation.Should().Be("Jobs.cs line 17", "the framework frame has no line; the learner's file name is enough");
        error.Message.Should().Be("Parse(\"9999999999\") raised System.OverflowException: too big (in process 42, at Jobs.cs line 17)");
    }

    [Fact]
    public void a_stack_without_line_numbers_gives_no_location()
    {
        var error = new RemoteException("System.InvalidOperationException", "no symbols", "   at Jobs.Fail(Int32 i)", 7, "Fail(1)");

        error.RemoteLocation.Should().BeNull();
        error.Message.Should().Be("Fail(1) raised System.InvalidOperationException: no symbols (in process 7)");
    }

    [Fact]
    public void a_childs_exception_names_the_source_line_of_the_throw()
    {
        using var child = ChildProcess.Start(Jobs.Throw, "boom with a line");
        child.Join(TimeSpan.FromSeconds(30)).Should().BeTrue();

        var jobsSource = Path.Combine(Path.GetDirectoryName(ThisFile())!, "Jobs.cs");
        var throwLine = File.ReadLines(jobsSource).TakeWhile(line => !line.Contains("public static int Throw(")).Count() + 1;

        var error = RemoteException.Of(child.Error!)!;
        error.RemoteLocation.Should().Be($"Jobs.cs line {throwLine}", "the test assembly's PDB is beside it, so the worker reads lines from it");
        error.Message.Should().EndWith($"at {error.RemoteLocation})");
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;
}
