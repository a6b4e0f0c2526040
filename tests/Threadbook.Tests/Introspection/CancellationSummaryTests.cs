using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class CancellationSummaryTests
{
    [Fact]
    public void a_fresh_source_can_be_canceled_and_is_not()
    {
        using var source = new CancellationTokenSource();

        var summary = CancellationSummary.Of(source);

        summary.ShouldHaveFact("cancellation requested", "no");
        summary.ShouldHaveFact("can be canceled", "yes");
        summary.ShouldHaveFact("disposed", "no");
        summary.ShouldHaveFact("CancelAfter deadline", "not exposed by .NET");
    }

    [Fact]
    public void a_canceled_and_disposed_source_renders_what_it_still_knows()
    {
        var source = new CancellationTokenSource();
        source.Cancel();
        source.Dispose();

        var summary = CancellationSummary.Of(source);

        summary.IsDisposed.Should().BeTrue();
        summary.ShouldHaveFact("cancellation requested", "yes");
        summary.ShouldHaveFact("can be canceled", "unknown (disposed)");
        summary.ShouldHaveFact("disposed", "yes");
    }

    [Fact]
    public void tokens_say_whether_anything_can_cancel_them_and_that_their_sources_disposal_is_hidden()
    {
        CancellationSummary.Of(CancellationToken.None).ShouldHaveFact("can be canceled", "no: nothing can cancel it");

        var source = new CancellationTokenSource();
        var token = source.Token;
        source.Cancel();
        source.Dispose();
        var summary = CancellationSummary.Of(token);

        summary.ShouldShowInBoth("CancellationToken");
        summary.ShouldHaveFact("cancellation requested", "yes");
        summary.ShouldHaveFact("source disposed", "not exposed by .NET");
    }
}
