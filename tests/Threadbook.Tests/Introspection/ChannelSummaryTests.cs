using System.Threading.Channels;
using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class ChannelSummaryTests
{
    [Fact]
    public void a_bounded_channel_shows_its_kind_and_items_waiting_but_not_its_capacity()
    {
        var channel = Channel.CreateBounded<int>(5);
        channel.Writer.TryWrite(1);
        channel.Writer.TryWrite(2);

        var summary = ChannelSummary.Of(channel);

        summary.Count.Should().Be(2);
        summary.ShouldShowInBoth("BoundedChannel<int> (channel)");
        summary.ShouldHaveFact("items waiting", "2");
        summary.ShouldHaveFact("capacity", "not exposed by .NET");
        summary.ShouldHaveFact("reading finished (Reader.Completion)", "no");
        channel.Reader.Count.Should().Be(2, "the summary did not read");
    }

    [Fact]
    public void a_channel_that_cannot_count_says_so()
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

        ChannelSummary.Of(channel).ShouldHaveFact("items waiting", "not exposed by this channel (Reader.CanCount is false)");
    }

    [Fact]
    public void a_channel_completed_with_items_left_is_not_finished_until_they_are_read()
    {
        var channel = Channel.CreateUnbounded<int>();
        channel.Writer.TryWrite(1);
        channel.Writer.Complete();

        ChannelSummary.Of(channel).ShouldHaveFact("reading finished (Reader.Completion)", "no: still open, or completed for writing with items left");
        channel.Reader.TryRead(out _);
        ChannelSummary.Of(channel.Reader).ShouldHaveFact("reading finished (Reader.Completion)", "yes: the writer completed and every item was read");
    }

    [Fact]
    public void a_channel_completed_with_an_error_shows_it_escaped()
    {
        var channel = Channel.CreateBounded<int>(1);
        channel.Writer.Complete(new InvalidOperationException("<broken>"));

        var summary = ChannelSummary.Of(channel);

        summary.CompletionStatus.Should().Be(TaskStatus.Faulted);
        summary.ShouldShowInBoth("yes, faulted: the writer completed with InvalidOperationException: <broken>");
        summary.ToHtml().Should().NotContain("<broken>");
    }

    [Fact]
    public void a_writer_says_it_exposes_nothing()
    {
        var summary = ChannelSummary.Of(Channel.CreateBounded<int>(1).Writer);

        summary.IsWriter.Should().BeTrue();
        summary.ShouldShowInBoth("(writer)", "not exposed by a ChannelWriter");
    }

    [Fact]
    public void a_channel_or_one_of_its_ends_is_summarised_from_an_object()
    {
        var channel = Channel.CreateBounded<int>(5);

        ChannelSummary.OfObject(channel).Role.Should().Be("channel");
        ChannelSummary.OfObject(channel.Reader).Role.Should().Be("reader");
        ChannelSummary.OfObject(channel.Writer).Role.Should().Be("writer");
        FluentActions.Invoking(() => ChannelSummary.OfObject("not a channel")).Should().Throw<ArgumentException>();
    }
}
