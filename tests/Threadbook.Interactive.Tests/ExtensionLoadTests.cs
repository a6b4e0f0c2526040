namespace Threadbook.Interactive.Tests;

public class ExtensionLoadTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    [Fact]
    public void loading_shows_a_collapsed_banner_that_lists_every_magic()
    {
        kernel.LoadEvents.Failures().Should().BeEmpty();

        var html = kernel.LoadEvents.Shown("text/html").Should().ContainSingle(h => h.Contains("Threadbook")).Subject;
        html.Should().StartWith("<details>").And.Contain("#!threads").And.Contain(ThreadbookExtension.Version);

        var text = kernel.LoadEvents.Shown("text/plain").Should().ContainSingle(t => t.Contains("Threadbook")).Subject;
        text.Should().Contain("#!threads").And.Contain("is loaded");
    }

    [Fact]
    public async Task the_kernel_keeps_working_after_the_extension_loads()
    {
        var events = (await kernel.SubmitAsync("1 + 2")).ShouldSucceed();

        events.Shown("text/html").Should().ContainSingle().Which.Should().Contain("3");
    }
}
