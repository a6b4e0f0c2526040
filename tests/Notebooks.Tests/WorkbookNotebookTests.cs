using Threadbook.Workbook;

namespace Notebooks.Tests;

[Collection(PackedWorkbookCollection.Name)]
public class WorkbookNotebookTests(PackedWorkbook workbook)
{
    [Theory]
    [MemberData(nameof(Repository.Notebooks), MemberType = typeof(Repository))]
    public async Task every_notebook_runs_clean_in_the_workbook_runner(string notebook)
    {
        var run = await new NotebookRunner().RunAsync(Path.Combine(Repository.NotebooksFolder, notebook));

        run.FailedCells.Select(c => WorkbookCli.DescribeFailure(run, c)).Should().BeEmpty();
        run.ChecksFailed.Should().Be(0);
        run.ChecksPassed.Should().BeGreaterThan(0, "every notebook ends in check cells");
        var firstCell = run.Cells[0];
        OutputText.Of(firstCell.Outputs).Should().Contain($"Threadbook {workbook.Version} is loaded", "the first cell loads this build from the local feed");
    }

    [Fact]
    public async Task the_start_notebook_shows_the_thread_table_after_loading_the_extension()
    {
        var run = await new NotebookRunner().RunAsync(Path.Combine(Repository.NotebooksFolder, "00-start-here.ipynb"));

        var threadsCell = run.Cells.First(c => OutputText.Of(c.Outputs).Contains("OS id"));
        OutputText.Of(threadsCell.Outputs).Should().Contain("◀ this cell").And.Contain("thread pool threads");
    }

    [Fact]
    public async Task the_threads_notebook_shows_late_output_and_survives_a_thread_exception()
    {
        var run = await new NotebookRunner().RunAsync(Path.Combine(Repository.NotebooksFolder, "02-threads.ipynb"));

        var code = run.Document.Elements.Where(e => !NotebookFiles.IsMarkdown(e)).ToList();
        var latecomer = code.FindIndex(e => e.Contents.Contains("Name = \"latecomer\""));
        code.Skip(latecomer + 1).Select(e => OutputText.Of(e.Outputs))
            .Should().Contain(t => t.Contains("Output that arrived after its cell had ended") && t.Contains("latecomer: I finished after my cell had ended"));
        OutputText.Of(code.Single(e => e.Contents.Contains("Name = \"faulty\"")).Outputs)
            .Should().Contain("Exception in thread faulty").And.Contain("the kernel is still here");
    }
}
