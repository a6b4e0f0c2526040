using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class TracedEventTests
{
    [Fact]
    public void a_new_event_is_not_set_unless_asked()
    {
        new TracedEvent("e").IsSet.Should().BeFalse();
        new TracedEvent("e", initiallySet: true).IsSet.Should().BeTrue();
    }

    [Fact]
    public void wait_returns_true_at_once_when_the_event_is_set()
    {
        var flag = new TracedEvent();
        flag.Set();

        flag.Wait().Should().BeTrue();
        flag.Wait(TimeSpan.Zero).Should().BeTrue();
        flag.IsSet.Should().BeTrue("waiting does not clear the flag");
    }

    [Fact]
    public void wait_with_a_timeout_returns_false_when_the_event_is_never_set()
    {
        var flag = new TracedEvent();

        flag.Wait(TimeSpan.FromMilliseconds(30)).Should().BeFalse();
        flag.Wait(0).Should().BeFalse();
        flag.WaiterCount.Should().Be(0);
    }

    [Fact]
    public void set_wakes_every_waiter()
    {
        var flag = new TracedEvent("go");
        var results = new bool[3];
        var waiters = Enumerable.Range(0, 3)
            .Select(i => TestThread.Start($"waiter-{i}", () => results[i] = flag.Wait(TestThread.JoinTimeout)))
            .ToArray();
        Eventually.True(() => flag.WaiterCount == 3, "all three threads wait");
        flag.Waiters.Select(t => t.ManagedThreadId).Should().BeEquivalentTo(waiters.Select(waiter => waiter.Thread.ManagedThreadId));

        flag.Set();

        TestThread.JoinAll(waiters);
        results.Should().AllBeEquivalentTo(true);
        flag.WaiterCount.Should().Be(0);
    }

    [Fact]
    public void a_waiter_woken_by_set_returns_true_even_if_the_flag_is_cleared_at_once()
    {
        var flag = new TracedEvent();
        bool? result = null;
        var waiter = TestThread.Start("waiter", () => result = flag.Wait(TestThread.JoinTimeout));
        Eventually.True(() => flag.WaiterCount == 1, "the thread waits");

        flag.Set();
        flag.Clear();

        waiter.JoinAndRethrow();
        result.Should().BeTrue();
    }

    [Fact]
    public void clear_lowers_the_flag_so_later_waits_block_again()
    {
        var flag = new TracedEvent();
        flag.Set();

        flag.Clear();

        flag.IsSet.Should().BeFalse();
        flag.Wait(TimeSpan.FromMilliseconds(10)).Should().BeFalse();
    }
}
