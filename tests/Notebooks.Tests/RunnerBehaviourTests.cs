using Microsoft.DotNet.Interactive.Documents;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>How the runner reports failures, timeouts and outputs, on small notebooks written by the test.</summary>
public class RunnerBehaviourTests
{
    private static async Task<string> WriteNotebookAsync(string name, params string[] cells)
    {
        var document = new InteractiveDocument();
        foreach (var cell in cells)
        {
            document.Add(cell.StartsWith("# ", StringComparison.Ordinal)
                ? new InteractiveDocumentElement(cell, "markdown")
                : new InteractiveDocumentElement(cell, "csharp"));
        }

        var path = Path.Combine(Repository.NewWorkFolder(name), name + ".ipynb");
        await NotebookFiles.WriteAsync(document, path);
        return path;
    }

    [Fact]
    public async Task a_failing_cell_is_reported_with_its_number_and_the_next_cells_still_run()
    {
        var path = await WriteNotebookAsync("failing",
            "# A title",
            "Console.WriteLine(\"before\");",
            "throw new InvalidOperationException(\"boom\");",
            "Console.WriteLine(\"after\");");

        var run = await new NotebookRunner().RunAsync(path);

        run.Succeeded.Should().BeFalse();
        var failed = run.FailedCells.Should().ContainSingle().Subject;
        failed.Number.Should().Be(3, "markdown cells count in the numbering, as a notebook front end shows it");
        failed.Errors.Should().ContainSingle().Which.Should().Contain("boom");
        WorkbookCli.DescribeFailure(run, failed).Should().StartWith("FAILED failing, cell 3:").And.Contain("boom");
        OutputText.Of(run.Cells[^1].Outputs).Should().Be("after\n");
        run.Document.Elements[2].Outputs.Should().ContainSingle().Which.Should().BeOfType<ErrorElement>();
    }

    [Fact]
    public async Task a_cross_mark_fails_the_cell_even_without_an_exception()
    {
        var path = await WriteNotebookAsync("crossmark", "Console.WriteLine(\"✅ fine\"); Console.WriteLine(\"❌ not fine\");");

        var run = await new NotebookRunner().RunAsync(path);

        run.ChecksPassed.Should().Be(1);
        run.ChecksFailed.Should().Be(1);
        run.Succeeded.Should().BeFalse();
        WorkbookCli.DescribeFailure(run, run.Cells[0]).Should().Contain("❌ not fine", "a failure names the claim that did not hold").And.NotContain(CheckMarks.Passed);
    }

    [Fact]
    public async Task a_cell_that_runs_too_long_is_cancelled_and_the_kernel_goes_on()
    {
        var path = await WriteNotebookAsync("timeout",
            "await Task.Delay(TimeSpan.FromMinutes(5), Microsoft.DotNet.Interactive.KernelInvocationContext.Current.CancellationToken);",
            "Console.WriteLine(\"still here\");");

        var run = await new NotebookRunner { CellTimeout = TimeSpan.FromSeconds(2) }.RunAsync(path);

        run.Cells[0].Errors.Should().Contain(e => e.Contains("did not finish within 2 s"));
        run.Cells[1].Succeeded.Should().BeTrue();
        OutputText.Of(run.Cells[1].Outputs).Should().Be("still here\n");
    }

    [Fact]
    public async Task an_updated_display_keeps_only_its_final_value()
    {
        // Through the context: in 1.0.0-beta.26120.1 the kernel helper display() returns a DisplayedValue whose
        // id differs from the one it published, so its Update() never reaches the displayed output.
        var path = await WriteNotebookAsync("update",
            "using Microsoft.DotNet.Interactive;\nvar shown = KernelInvocationContext.Current.DisplayAs(\"first\", \"text/plain\"); shown.Update(\"second\");");

        var run = await new NotebookRunner().RunAsync(path);

        run.Cells[0].Errors.Should().BeEmpty();
        var output = run.Cells[0].Outputs.Should().ContainSingle().Subject.Should().BeOfType<DisplayElement>().Subject;
        output.Data["text/plain"].Should().Be("second");
    }

    [Fact]
    public async Task the_command_line_writes_executed_notebooks_and_html_and_fails_on_a_failing_cell()
    {
        var good = await WriteNotebookAsync("good", "# Good", "Console.WriteLine(\"✅ <ok>\");");
        var bad = await WriteNotebookAsync("bad", "throw new Exception(\"bad cell\");");
        var outDir = Repository.NewWorkFolder("out");
        var output = new StringWriter();
        var error = new StringWriter();

        var exitCode = await WorkbookCli.RunAsync(["run", good, bad, "--out", outDir, "--no-pack"], output, error);

        exitCode.Should().Be(1);
        error.ToString().Should().Contain("FAILED bad, cell 1:").And.Contain("bad cell");
        output.ToString().Should().MatchRegex(@"good\s+1\s+1\s+0\s+1/0").And.MatchRegex(@"bad\s+1\s+0\s+1\s+0/0");

        var executed = await NotebookFiles.ReadAsync(Path.Combine(outDir, "good.ipynb"));
        executed.Elements[1].Outputs.Should().ContainSingle().Which.Should().BeOfType<TextElement>().Which.Text.Should().Be("✅ <ok>\n");
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "good.html"));
        html.Should().Contain("<h1").And.Contain("✅ &lt;ok&gt;").And.NotContain("<script");
    }

    [Theory]
    [InlineData(new[] { "run", "--cell-timeout", "soon" }, "--cell-timeout needs a positive number of seconds, got 'soon'")]
    [InlineData(new[] { "run", "--frobnicate" }, "Unknown option '--frobnicate'")]
    [InlineData(new[] { "run", "no/such/notebook.ipynb", "--no-pack" }, "No notebook or folder at")]
    [InlineData(new[] { "convert", "only-one" }, "convert takes exactly two paths")]
    public async Task bad_command_lines_are_refused_with_a_message_that_names_the_problem(string[] args, string message)
    {
        var error = new StringWriter();

        var exitCode = await WorkbookCli.RunAsync(args, TextWriter.Null, error);

        exitCode.Should().Be(2);
        error.ToString().Should().Contain(message);
    }

    [Fact]
    public async Task notebooks_convert_to_dib_and_back_and_strip_removes_outputs()
    {
        var folder = Repository.NewWorkFolder("convert");
        var source = Path.Combine(Repository.NotebooksFolder, "01-processes-and-threads.ipynb");
        var dib = Path.Combine(folder, "01.dib");
        var back = Path.Combine(folder, "01.ipynb");

        (await WorkbookCli.RunAsync(["convert", source, dib], TextWriter.Null, TextWriter.Null)).Should().Be(0);
        (await WorkbookCli.RunAsync(["convert", dib, back], TextWriter.Null, TextWriter.Null)).Should().Be(0);

        var original = await NotebookFiles.ReadAsync(source);
        var roundTripped = await NotebookFiles.ReadAsync(back);
        roundTripped.Elements.Select(e => (e.KernelName, e.Contents.Trim()))
            .Should().Equal(original.Elements.Select(e => (e.KernelName, e.Contents.Trim())));
        (await File.ReadAllTextAsync(back)).Should().Contain("\"name\": \".net-csharp\"").And.Contain("polyglot_notebook");

        var withOutputs = await WriteNotebookAsync("strip", "Console.WriteLine(1);");
        var run = await new NotebookRunner().RunAsync(withOutputs);
        await NotebookFiles.WriteAsync(run.Document, withOutputs);
        (await File.ReadAllTextAsync(withOutputs)).Should().Contain("output_type");
        (await WorkbookCli.RunAsync(["strip", withOutputs], TextWriter.Null, TextWriter.Null)).Should().Be(0);
        (await File.ReadAllTextAsync(withOutputs)).Should().NotContain("output_type");
    }
}
