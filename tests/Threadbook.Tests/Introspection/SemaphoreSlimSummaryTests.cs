using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class SemaphoreSlimSummaryTests
{
    [Fact]
    public void a_semaphore_slim_shows_its_current_count_and_what_is_not_exposed()
    {
        using var semaphore = new SemaphoreSlim(3, 5);
        semaphore.Wait();

        var summary = SemaphoreSlimSummary.Of(semaphore);

        summary.CurrentCount.Should().Be(2);
        summary.ShouldHaveFact("current count", "2");
        summary.ShouldHaveFact("maximum count", "not exposed by .NET");
        summary.ShouldHaveFact("waiting threads", "not exposed by .NET");
        semaphore.CurrentCount.Should().Be(2, "the summary did not enter it");
    }

    [Fact]
    public void a_disposed_semaphore_slim_renders_and_says_disposal_is_not_exposed()
    {
        var semaphore = new SemaphoreSlim(1);
        semaphore.Dispose();

        SemaphoreSlimSummary.Of(semaphore).ShouldShowInBoth("a disposed SemaphoreSlim still answers CurrentCount");
    }
}
