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
    public void a_parallel_check_is_skipped_when_its_own_measurement_saw_the_cores_taken()
    {
        var disturbed = Capture(() => Check.ThatUnlessBusy(false, "ran together", waitingForCoreShare: 0.35).Should().BeFalse());
        var undisturbed = Capture(() => Check.ThatUnlessBusy(false, "ran together", waitingForCoreShare: 0.01).Should().BeFalse());
        var holds = Capture(() => Check.ThatUnlessBusy(true, "ran together", waitingForCoreShare: 0.35).Should().BeTrue());

        disturbed.Should().Be("⏭ ran together: skipped (the measured threads spent 35% of their runnable time waiting for a core: other work, the sampler included, had the cores)" + Environment.NewLine);
        undisturbed.Should().NotContain("waiting for a core", "a measurement that had its cores is judged (❌, or ⏭ only for a high load average)");
        holds.Should().Be("✅ ran together" + Environment.NewLine);
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
