using Threadbook.Rendering;

namespace Threadbook.Tests.Rendering;

public class TableTests
{
    [Fact]
    public void html_escapes_every_cell_and_header()
    {
        var html = new Table("<b>", "x") { Caption = "a & b" }.AddRow("<script>", "\"q\"").ToHtml();

        html.Should().NotContain("<script>").And.NotContain("<b>");
        html.Should().Contain("&lt;script&gt;").And.Contain("&lt;b&gt;").And.Contain("a &amp; b");
    }

    [Fact]
    public void text_aligns_columns_to_the_widest_cell()
    {
        var text = new Table("id", "name").AddRow(7, "finalizer").AddRow(12345, "x").ToText();

        var lines = text.Split(Environment.NewLine);
        lines.Should().HaveCount(4);
        lines[0].IndexOf("name", StringComparison.Ordinal).Should().Be(lines[2].IndexOf("finalizer", StringComparison.Ordinal));
        lines[0].IndexOf("name", StringComparison.Ordinal).Should().Be(lines[3].IndexOf('x'));
    }

    [Fact]
    public void a_row_with_the_wrong_number_of_cells_is_refused_with_the_column_names()
    {
        var act = () => new Table("id", "name").AddRow(1);

        act.Should().Throw<ArgumentException>().WithMessage("*1 cells*2 columns (id, name)*");
    }

    [Fact]
    public void null_cells_render_as_empty()
    {
        new Table("a", "b").AddRow(null, "x").ToHtml().Should().Contain("<td></td><td>x</td>");
    }
}
