using Threadbook.Python;

namespace Threadbook.Tests.Python;

public class PythonProgramTests
{
    [Fact]
    public async Task lines_reach_the_callback_in_order_with_their_stream()
    {
        var lines = new List<(string Stream, string Line)>();
        var program = new PythonProgram("import sys\nprint('out 1')\nprint('err 1', file=sys.stderr, flush=True)\nprint('out 2')");

        var result = await program.RunAsync((stream, line) => { lock (lines) { lines.Add((stream, line)); } });

        result.Succeeded.Should().BeTrue(result.Error);
        lines.Where(l => l.Stream == "stdout").Select(l => l.Line).Should().Equal("out 1\n", "out 2\n");
        lines.Should().Contain(("stderr", "err 1\n"));
        result.Output.Should().Be("out 1\nout 2\n");
    }

    [Fact]
    public async Task a_missing_interpreter_is_reported_not_thrown()
    {
        var result = await new PythonProgram("print(1)") { Interpreter = "/no/python/here" }.RunAsync();

        result.Ending.Should().Be(PythonRunEnding.InterpreterNotFound);
        result.Succeeded.Should().BeFalse();
        result.Summary.Should().Contain("/no/python/here").And.Contain(PythonProgram.InstallHint);
    }

    [Fact]
    public async Task the_environment_variable_chooses_the_interpreter_when_no_option_does()
    {
        var previous = Environment.GetEnvironmentVariable(PythonProgram.InterpreterVariable);
        Environment.SetEnvironmentVariable(PythonProgram.InterpreterVariable, "/from/the/environment/python3");
        try
        {
            new PythonProgram("").ResolvedInterpreter.Should().Be("/from/the/environment/python3");
            new PythonProgram("") { Interpreter = "/usr/bin/python3" }.ResolvedInterpreter.Should().Be("/usr/bin/python3");
        }
        finally
        {
            Environment.SetEnvironmentVariable(PythonProgram.InterpreterVariable, previous);
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task a_traceback_names_the_cell_not_a_temporary_file()
    {
        var result = await new PythonProgram("def f():\n    raise ValueError('bad value')\nf()").RunAsync();

        result.ExitCode.Should().Be(1);
        result.Traceback.Should().StartWith("Traceback").And.Contain("File \"<python cell>\", line 2, in f").And.EndWith("ValueError: bad value");
        result.Error.Should().NotContain("cell.py");
    }

    [Theory]
    [InlineData("", "printed nothing")]
    [InlineData("done\n", "not JSON")]
    public void the_last_line_must_be_json(string stdout, string message)
    {
        var act = () => PythonProgram.LastLineAsJson(stdout);

        act.Should().Throw<FormatException>().WithMessage($"*{message}*");
    }

    [Fact]
    public void the_last_non_empty_line_is_the_value()
    {
        PythonProgram.LastLineAsJson("noise\n{\"a\": [1, 2]}\n\n")!["a"]!.AsArray().Should().HaveCount(2);
    }
}
