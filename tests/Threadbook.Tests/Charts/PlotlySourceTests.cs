using Threadbook.Charts;

namespace Threadbook.Tests.Charts;

public class PlotlySourceTests
{
    [Theory]
    [InlineData("", "https://cdn.plot.ly/plotly-2.35.3.min.js")]
    [InlineData("cdn", "https://cdn.plot.ly/plotly-2.35.3.min.js")]
    [InlineData(" http://127.0.0.1:9000/plotly.min.js ", "http://127.0.0.1:9000/plotly.min.js")]
    [InlineData("https://example.test/p.js", "https://example.test/p.js")]
    [InlineData("//example.test/p.js", "//example.test/p.js")]
    public void urls_and_cdn_are_read_as_url_sources(string text, string url)
    {
        var source = PlotlySource.Parse(text);

        source.Kind.Should().Be(PlotlySourceKind.Url);
        source.Location.Should().Be(url);
    }

    [Theory]
    [InlineData("/opt/plotly/plotly.min.js", "/opt/plotly/plotly.min.js")]
    [InlineData("file:///opt/plotly/plotly.min.js", "/opt/plotly/plotly.min.js")]
    public void paths_and_file_urls_are_read_as_file_sources(string text, string path)
    {
        var source = PlotlySource.Parse(text);

        source.Kind.Should().Be(PlotlySourceKind.File);
        source.Location.Should().Be(path);
    }

    [Fact]
    public void a_relative_path_is_taken_from_the_current_directory()
    {
        PlotlySource.Parse("vendor/plotly.min.js").Location.Should().Be(Path.GetFullPath("vendor/plotly.min.js"));
    }

    [Fact]
    public void a_file_url_given_as_a_url_is_refused_with_a_pointer_to_from_file()
    {
        var act = () => PlotlySource.FromUrl("file:///tmp/plotly.js");

        act.Should().Throw<ArgumentException>().WithMessage("*PlotlySource.FromFile*");
    }
}
