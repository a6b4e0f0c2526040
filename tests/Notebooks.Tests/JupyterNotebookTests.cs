using System.Text.Json.Nodes;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>Every notebook executed by a real Jupyter client (nbclient) on the dotnet-interactive kernel.</summary>
[Collection(PackedWorkbookCollection.Name)]
public class JupyterNotebookTests(PackedWorkbook workbook, JupyterEnvironment jupyter) : IClassFixture<JupyterEnvironment>
{
    [Fact]
    public void the_registered_kernel_listens_on_loopback_only()
    {
        var spec = JsonNode.Parse(File.ReadAllText(Path.Combine(jupyter.JupyterPath, "kernels", JupyterKernelSpec.KernelName, "kernel.json")))!;
        var argv = spec["argv"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();

        argv.Should().ContainInConsecutiveOrder("{connection_file}", "--http-local-only");
        Directory.EnumerateDirectories(Path.Combine(jupyter.JupyterPath, "kernels")).Select(Path.GetFileName)
            .Should().Equal(JupyterKernelSpec.KernelName);
    }

    [Theory]
    [MemberData(nameof(Repository.Notebooks), MemberType = typeof(Repository))]
    public async Task every_notebook_runs_clean_in_real_jupyter(string notebook)
    {
        var output = Path.Combine(Repository.NewWorkFolder("jupyter"), notebook);

        var result = await jupyter.ExecuteAsync(Path.Combine(Repository.NotebooksFolder, notebook), output);

        result.ExitCode.Should().Be(0, $"nbclient reported a failing cell:\n{result.Error}");
        var executed = JsonNode.Parse(await File.ReadAllTextAsync(output))!;
        var outputs = executed["cells"]!.AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .SelectMany(c => c!["outputs"]!.AsArray())
            .ToList();
        outputs.Should().NotContain(o => o!["output_type"]!.GetValue<string>() == "error");
        var text = string.Join("\n", outputs.Select(o => Text(o!)));
        CheckMarks.FailedLines(text).Should().BeEmpty("every check of the notebook holds");
        text.Should().Contain(CheckMarks.Passed);
        text.Should().Contain($"Threadbook {workbook.Version} is loaded", "the notebook's #r loads this build from the local feed");
    }

    [Fact]
    public async Task threads_magic_typed_in_a_jupyter_cell_shows_the_thread_table()
    {
        var output = Path.Combine(Repository.NewWorkFolder("jupyter"), "00-start-here.ipynb");

        var result = await jupyter.ExecuteAsync(Path.Combine(Repository.NotebooksFolder, "00-start-here.ipynb"), output);

        result.ExitCode.Should().Be(0, result.Error);
        var cells = JsonNode.Parse(await File.ReadAllTextAsync(output))!["cells"]!.AsArray();
        var threadsCell = cells.Single(c => Joined(c!["source"]).Trim() == "#!threads");
        var html = threadsCell!["outputs"]!.AsArray().Select(o => Joined(o!["data"]?["text/html"])).Single(h => h.Length > 0);
        html.Should().Contain("<table>").And.Contain("OS id").And.Contain("◀ this cell").And.Contain("thread pool threads");
    }

    [Fact]
    public async Task in_real_jupyter_late_thread_output_is_shown_and_a_thread_exception_leaves_the_kernel_alive()
    {
        var output = Path.Combine(Repository.NewWorkFolder("jupyter"), "02-threads.ipynb");

        var result = await jupyter.ExecuteAsync(Path.Combine(Repository.NotebooksFolder, "02-threads.ipynb"), output);

        result.ExitCode.Should().Be(0, result.Error);
        var cells = JsonNode.Parse(await File.ReadAllTextAsync(output))!["cells"]!.AsArray()
            .Where(c => c!["cell_type"]!.GetValue<string>() == "code")
            .Select(c => (Source: Joined(c!["source"]), Text: string.Join("\n", c["outputs"]!.AsArray().Select(o => Text(o!)))))
            .ToList();
        var afterLatecomer = cells.SkipWhile(c => !c.Source.Contains("Name = \"latecomer\"")).Skip(1).Select(c => c.Text);
        afterLatecomer.Should().Contain(t => t.Contains("Output that arrived after its cell had ended") && t.Contains("latecomer: I finished after my cell had ended"));
        cells.Single(c => c.Source.Contains("Name = \"faulty\"")).Text
            .Should().Contain("Exception in thread faulty").And.Contain("something went wrong in the worker").And.Contain("the kernel is still here");
        cells.Where(c => c.Source.Contains("#!trace")).Should().OnlyContain(c => c.Text.Contains("<svg"), "every traced cell shows its timeline");
    }

    /// <summary>nbformat stores text either as one string or as a list of lines.</summary>
    private static string Joined(JsonNode? node) => node switch
    {
        null => "",
        JsonArray lines => string.Concat(lines.Select(l => l!.GetValue<string>())),
        _ => node.GetValue<string>(),
    };

    /// <summary>What a reader sees of one output: a stream's text, or every mime type of a display.</summary>
    private static string Text(JsonNode output) =>
        output["text"] is { } text
            ? Joined(text)
            : string.Join("\n", (output["data"]?.AsObject() ?? []).Select(entry => Joined(entry.Value)));
}
