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
}
