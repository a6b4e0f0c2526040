using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class TracedSemaphoreTests
{
    [Fact]
    public void acquire_takes_slots_until_none_are_left()
    {
        var semaphore = new TracedSemaphore(2, maxCount: 2, name: "pool");

        semaphore.Acquire();
        semaphore.Acquire(TimeSpan.Zero).Should().BeTrue();

        semaphore.CurrentCount.Should().Be(0);
        semaphore.Acquire(TimeSpan.FromMilliseconds(20)).Should().BeFalse();
        semaphore.Holders.Should().ContainSingle().Which.Should().BeSameAs(Thread.CurrentThread);
        semaphore.Release(2);
        semaphore.CurrentCount.Should().Be(2);
        semaphore.Holders.Should().BeEmpty();
    }

    [Fact]
    public void releasing_past_the_maximum_throws_and_changes_nothing()
    {
        var semaphore = new TracedSemaphore(1, maxCount: 1, name: "bounded");

        Action act = semaphore.Release;

        act.Should().Throw<SemaphoreFullException>().WithMessage("*'bounded'*released too many times*");
        semaphore.CurrentCount.Should().Be(1);
    }

    [Fact]
    public void an_unbounded_semaphore_can_be_released_past_its_initial_count()
    {
        var semaphore = new TracedSemaphore(0);

        semaphore.Release();
        semaphore.Release(2);

        semaphore.CurrentCount.Should().Be(3);
        semaphore.MaxCount.Should().BeNull();
    }

    [Fact]
    public void a_maximum_below_the_initial_count_is_rejected()
    {
        FluentActions.Invoking(() => new TracedSemaphore(3, maxCount: 2)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new TracedSemaphore(-1)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void a_blocked_thread_shows_in_waiters_and_takes_the_slot_a_release_gives_back()
    {
        var semaphore = new TracedSemaphore(1, maxCount: 1);
        semaphore.Acquire();
        var waiter = TestThread.Start("waiter", () =>
        {
            using (semaphore.Hold())
            {
            }
        });
        Eventually.True(() => semaphore.WaiterCount == 1, "the waiter blocks");
        semaphore.Waiters.Should().ContainSingle().Which.Should().BeSameAs(waiter.Thread);

        semaphore.Release();

        waiter.JoinAndRethrow();
        semaphore.CurrentCount.Should().Be(1);
        semaphore.WaiterCount.Should().Be(0);
    }

    [Fact]
    public void a_slot_released_by_a_thread_that_did_not_take_one_makes_it_a_signal_without_holders()
    {
        var semaphore = new TracedSemaphore(0, name: "signal");

        var releaser = TestThread.Start("releaser", () => semaphore.Release());
        releaser.JoinAndRethrow();

        semaphore.HoldersAreKnown.Should().BeFalse();
        semaphore.Acquire(0).Should().BeTrue();
        semaphore.Holders.Should().BeEmpty();
        semaphore.ToText().Should().Contain("used as a signal");
    }

    [Fact]
    public void hold_gives_the_slot_back_when_the_block_throws()
    {
        var semaphore = new TracedSemaphore(1, maxCount: 1);

        var act = () =>
        {
            using (semaphore.Hold())
            {
                throw new InvalidOperationException("boom");
            }
        };

        act.Should().Throw<InvalidOperationException>();
        semaphore.CurrentCount.Should().Be(1);
    }

    [Fact]
    public void hold_with_a_timeout_throws_naming_the_semaphore()
    {
        var semaphore = new TracedSemaphore(0, name: "empty");

        var act = () => semaphore.Hold(TimeSpan.FromMilliseconds(20));

        act.Should().Throw<TimeoutException>().WithMessage("*'empty'*count 0*");
    }

    [Fact]
    public void a_semaphore_made_without_arguments_has_one_slot_as_in_python()
    {
        var semaphore = new TracedSemaphore();

        semaphore.CurrentCount.Should().Be(1);
        semaphore.MaxCount.Should().BeNull();
        semaphore.Acquire().Should().BeTrue("Python's acquire() returns True");
        semaphore.Acquire(TimeSpan.Zero).Should().BeFalse();
    }

    [Fact]
    public void a_negative_initial_value_is_rejected_with_pythons_wording()
    {
        FluentActions.Invoking(() => new TracedSemaphore(-1))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("semaphore initial value must be >= 0*")
            .Which.ParamName.Should().Be("initialCount");
    }

    [Fact]
    public void a_bounded_semaphore_is_bounded_by_its_initial_value_as_pythons_bounded_semaphore()
    {
        var bounded = TracedSemaphore.Bounded(2, "bounded-2");

        bounded.MaxCount.Should().Be(2);
        bounded.CurrentCount.Should().Be(2);
        FluentActions.Invoking(() => bounded.Release()).Should().Throw<SemaphoreFullException>().WithMessage("*Semaphore released too many times*");
        bounded.Acquire();
        bounded.Release();
        TracedSemaphore.Bounded().MaxCount.Should().Be(1);
        TracedSemaphore.Bounded(0).CurrentCount.Should().Be(0, "Python allows BoundedSemaphore(0)");
    }
}
