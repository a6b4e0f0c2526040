using System.Globalization;
using Threadbook.Measurement;

namespace Threadbook.Tests.Measurement;

public class RaceOutcomesTests
{
    [Fact]
    public void distinct_outcomes_are_counted_most_frequent_first()
    {
        var race = new RaceOutcomes("counter");
        foreach (var outcome in new[] { "7", "8", "8", "6", "8", "7" })
        {
            race.Add(outcome);
        }

        race.Distinct.Should().Equal(("8", 3), ("7", 2), ("6", 1));
        race.ToText().Should().Contain("6 runs, 3 distinct outcomes");
        race.ToHtml().Should().Contain("<svg").And.Contain("50 %");
    }

    [Fact]
    public void many_outcomes_are_summarised_after_the_first_twenty()
    {
        var race = new RaceOutcomes("all different");
        for (var i = 0; i < 30; i++)
        {
            race.Add(i.ToString());
        }

        race.ToText().Should().Contain("… 10 more outcomes");
        race.ToHtml().Should().Contain("… 10 more outcomes");
    }

    [Fact]
    public void values_are_described_in_the_invariant_culture_and_exceptions_by_their_first_line()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            RaceOutcomes.Describe(1.5).Should().Be("1.5");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }

        RaceOutcomes.Describe(null).Should().Be("null");
        RaceOutcomes.DescribeException(new InvalidOperationException("tails\nsecond line"))
            .Should().Be("threw System.InvalidOperationException: tails");
    }
}
