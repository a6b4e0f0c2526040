using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class EventSummaryTests
{
    [Fact]
    public void a_manual_reset_event_slim_shows_set_and_spin_count_without_changing_it()
    {
        using var signal = new ManualResetEventSlim(initialState: false, spinCount: 7);

        var summary = ManualResetEventSlimSummary.Of(signal);

        summary.IsSet.Should().BeFalse();
        summary.IsDisposed.Should().BeFalse();
        summary.ShouldHaveFact("set", "no");
        summary.ShouldHaveFact("spin count", "7");
        summary.ShouldHaveFact("disposed", "no");
        signal.Set();
        ManualResetEventSlimSummary.Of(signal).ShouldHaveFact("set", "yes");
        signal.IsSet.Should().BeTrue();
    }

    [Fact]
    public void a_disposed_manual_reset_event_slim_says_disposed()
    {
        var signal = new ManualResetEventSlim(true);
        signal.Dispose();

        var summary = ManualResetEventSlimSummary.Of(signal);

        summary.IsDisposed.Should().BeTrue();
        summary.ShouldHaveFact("disposed", "yes");
    }

    [Fact]
    public void a_countdown_event_shows_initial_and_remaining_counts()
    {
        using var countdown = new CountdownEvent(3);
        countdown.Signal();

        var summary = CountdownEventSummary.Of(countdown);

        summary.ShouldHaveFact("initial count", "3");
        summary.ShouldHaveFact("signals still needed", "2");
        summary.ShouldHaveFact("set", "no");
        countdown.CurrentCount.Should().Be(2, "the summary did not signal it");
        countdown.Signal(2);
        CountdownEventSummary.Of(countdown).ShouldHaveFact("set", "yes");
    }

    [Fact]
    public void a_disposed_countdown_event_says_disposed()
    {
        var countdown = new CountdownEvent(1);
        countdown.Dispose();

        CountdownEventSummary.Of(countdown).ShouldHaveFact("disposed", "yes");
    }

    [Fact]
    public void a_barrier_shows_participants_remaining_and_phase_and_renders_when_disposed()
    {
        var barrier = new Barrier(3);

        var summary = BarrierSummary.Of(barrier);

        summary.ShouldHaveFact("participants", "3");
        summary.ShouldHaveFact("still to arrive in this phase", "3");
        summary.ShouldHaveFact("current phase", "0");
        summary.ShouldHaveFact("which threads have arrived", "not exposed by .NET");
        barrier.Dispose();
        BarrierSummary.Of(barrier).ShouldShowInBoth("a disposed Barrier still answers these");
    }
}
