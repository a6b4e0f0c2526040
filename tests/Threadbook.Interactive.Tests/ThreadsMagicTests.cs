namespace Threadbook.Interactive.Tests;

public class ThreadsMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    [Fact]
    public async Task threads_shows_the_kernel_threads_as_html_and_text()
    {
        var events = (await kernel.SubmitAsync("#!threads")).ShouldSucceed();

        var html = events.Shown("text/html").Should().ContainSingle().Subject;
        html.Should().Contain("<table>").And.Contain("OS id").And.Contain("◀ this cell").And.Contain("thread pool threads");
        html.Should().Contain($"Process {Environment.ProcessId}");

        var text = events.Shown("text/plain").Should().ContainSingle().Subject;
        text.Should().Contain("OS id").And.Contain("◀ this cell").And.Contain("Monitor contentions");
    }

    [Fact]
    public async Task threads_top_keeps_only_that_many_rows()
    {
        var events = (await kernel.SubmitAsync("#!threads --top 2")).ShouldSucceed();

        var text = events.Shown("text/plain").Single();
        text.Should().Contain(": 2 OS threads");
    }

    [Fact]
    public async Task threads_runs_before_the_rest_of_the_cell()
    {
        var events = (await kernel.SubmitAsync("#!threads --top 1\n\"after\"")).ShouldSucceed();

        events.Shown("text/plain").Should().HaveCount(2);
        events.Shown("text/plain")[0].Should().Contain("OS id");
        events.Shown("text/plain")[1].Should().Be("after");
    }

    [Fact]
    public async Task an_unknown_option_is_refused_by_name()
    {
        var events = await kernel.SubmitAsync("#!threads --bogus 3");

        events.Failures().Should().ContainSingle().Which.Should().Contain("--bogus");
    }

    [Fact]
    public async Task a_top_that_is_not_a_number_is_refused()
    {
        var events = await kernel.SubmitAsync("#!threads --top lots");

        // The kernel's own type check rejects it before the magic runs, naming the option and the position.
        events.Failures().Should().ContainSingle().Which.Should().Contain("DNI106").And.Contain("$.top").And.Contain("(1,18)");
    }

    [Fact]
    public async Task a_top_below_one_is_refused_with_the_rule()
    {
        var events = await kernel.SubmitAsync("#!threads --top 0");

        events.Failures().Should().ContainSingle().Which.Should().Contain("--top must be at least 1");
    }

    [Fact]
    public async Task help_describes_the_magic_and_its_options_instead_of_running_it()
    {
        var events = (await kernel.SubmitAsync("#!threads --help")).ShouldSucceed();

        var text = events.Shown("text/plain").Should().ContainSingle().Subject;
        text.Should().Contain("#!threads:").And.Contain("--top <number>").And.Contain("--help");
        text.Should().NotContain("OS id");
    }
}
