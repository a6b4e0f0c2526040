using Threadbook.Lessons;

namespace Threadbook.Tests.Lessons;

public class CheckTests
{
    [Fact]
    public void checks_print_a_mark_and_the_claim()
    {
        var output = Capture(() =>
        {
            Check.That(true, "holds").Should().BeTrue();
            Check.That(false, "breaks").Should().BeFalse();
            Check.Equal(3, 4, "three is four").Should().BeFalse();
            Check.Skipped("needs python", "no python3 here");
        });

        output.Should().Be(string.Join(Environment.NewLine,
            "✅ holds",
            "❌ breaks",
            "❌ three is four (expected 3, got 4)",
            "⏭ needs python: skipped (no python3 here)",
            ""));
    }

    [Fact]
    public void a_check_that_holds_passes_whatever_the_load_and_the_load_is_read_on_linux()
    {
        var output = Capture(() => Check.ThatUnlessBusy(true, "parallel enough").Should().BeTrue());

        output.Should().Be("✅ parallel enough" + Environment.NewLine);
        Check.LoadAverage().Should().BeGreaterThanOrEqualTo(0);
    }

    [Fact]
    public void a_check_needs_a_claim()
    {
        var act = () => Check.That(true, " ");

        act.Should().Throw<ArgumentException>();
    }

    private static string Capture(Action action)
    {
        var original = Console.Out;
        var writer = new StringWriter();
        Console.SetOut(writer);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(original);
        }

        return writer.ToString();
    }
}
