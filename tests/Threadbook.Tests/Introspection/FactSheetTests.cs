using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class FactSheetTests
{
    [Fact]
    public void a_view_whose_facts_fail_shows_why_instead_of_throwing()
    {
        var broken = new BrokenSheet();

        broken.ToText().Should().Be("(BrokenSheet could not be shown: InvalidOperationException: <no facts>)");
        broken.ToHtml().Should().Be("<pre>(BrokenSheet could not be shown: InvalidOperationException: &lt;no facts&gt;)</pre>");
    }

    [Fact]
    public void long_multi_line_values_are_clipped_to_one_line()
    {
        var text = new LongSheet().ToText();

        text.Should().NotContain("second line\n").And.Contain("first line second line").And.Contain("…");
        text.Split('\n').Should().OnlyContain(line => line.Length < 200);
    }

    private sealed class BrokenSheet : FactSheet
    {
        protected override string Title => "broken";

        protected override IEnumerable<(string Fact, string Value)> Facts() => throw new InvalidOperationException("<no facts>");
    }

    private sealed class LongSheet : FactSheet
    {
        protected override string Title => "long";

        protected override IEnumerable<(string Fact, string Value)> Facts() => [("message", "first line\nsecond line " + new string('x', 500))];
    }
}
