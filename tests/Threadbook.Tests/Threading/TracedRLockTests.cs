using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class TracedRLockTests
{
    [Fact]
    public void a_new_lock_is_free_with_no_owner_and_no_waiters()
    {
        var rlock = new TracedRLock("fresh");

        rlock.Name.Should().Be("fresh");
        rlock.IsHeld.Should().BeFalse();
        rlock.Owner.Should().BeNull();
        rlock.OwnerThreadId.Should().Be(0);
        rlock.RecursionCount.Should().Be(0);
        rlock.WaiterCount.Should().Be(0);
        rlock.Waiters.Should().BeEmpty();
    }

    [Fact]
    public void an_unnamed_lock_gets_a_name_from_its_kind_and_id()
    {
        var rlock = new TracedRLock();

        rlock.Name.Should().Be($"RLock#{rlock.ObjectId}");
    }

    [Fact]
    public void acquire_makes_the_calling_thread_the_owner_with_recursion_one()
    {
        var rlock = new TracedRLock();

        rlock.Acquire();

        rlock.Owner.Should().BeSameAs(Thread.CurrentThread);
        rlock.OwnerThreadId.Should().Be(Environment.CurrentManagedThreadId);
        rlock.RecursionCount.Should().Be(1);
        rlock.IsHeldByCurrentThread.Should().BeTrue();
        rlock.Release();
        rlock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void the_owner_can_acquire_again_and_the_lock_is_free_after_as_many_releases()
    {
        var rlock = new TracedRLock();

        rlock.Acquire();
        rlock.Acquire(TimeSpan.Zero).Should().BeTrue();
        rlock.Acquire(100).Should().BeTrue();
        rlock.RecursionCount.Should().Be(3);

        rlock.Release();
        rlock.Release();
        rlock.RecursionCount.Should().Be(1);
        rlock.IsHeld.Should().BeTrue();
        rlock.Release();
        rlock.IsHeld.Should().BeFalse();
        rlock.RecursionCount.Should().Be(0);
    }

    [Fact]
    public void a_thread_blocked_on_the_lock_shows_in_waiters_and_gets_the_lock_when_it_is_released()
    {
        var rlock = new TracedRLock("shared");
        rlock.Acquire();
        int? ownerSeenByWaiter = null;
        var waiter = TestThread.Start("waiter", () =>
        {
            using (rlock.Hold())
            {
                ownerSeenByWaiter = rlock.OwnerThreadId;
            }
        });
        try
        {
            Eventually.True(() => rlock.WaiterCount == 1, "the waiter blocks on the lock");

            rlock.Waiters.Should().ContainSingle().Which.Should().BeSameAs(waiter.Thread);
            rlock.Owner.Should().BeSameAs(Thread.CurrentThread);
            rlock.ToText().Should().Contain("waiter (#");
        }
        finally
        {
            rlock.Release();
            waiter.JoinAndRethrow();
        }

        ownerSeenByWaiter.Should().Be(waiter.ManagedThreadId);
        rlock.WaiterCount.Should().Be(0);
        rlock.Waiters.Should().BeEmpty();
    }

    [Fact]
    public void release_by_a_thread_that_does_not_own_the_lock_is_refused_with_both_names()
    {
        var rlock = new TracedRLock("guarded");
        rlock.Acquire();
        try
        {
            var intruder = TestThread.Start("intruder", rlock.Release);
            intruder.Join();

            intruder.Exception.Should().BeOfType<SynchronizationLockException>()
                .Which.Message.Should().Contain("intruder (#").And.Contain("'guarded'")
                .And.Contain($"held by {Thread.CurrentThread.Name ?? "thread"}").And.Contain($"#{Environment.CurrentManagedThreadId}");
            rlock.IsHeldByCurrentThread.Should().BeTrue("a refused release changes nothing");
            rlock.RecursionCount.Should().Be(1);
        }
        finally
        {
            rlock.Release();
        }
    }

    [Fact]
    public void release_of_a_free_lock_is_refused()
    {
        var rlock = new TracedRLock("idle");

        var act = rlock.Release;

        act.Should().Throw<SynchronizationLockException>().WithMessage("*'idle'*not held by any thread*un-acquired lock*");
    }

    [Fact]
    public void acquire_with_a_timeout_returns_false_while_another_thread_holds_the_lock()
    {
        var rlock = new TracedRLock();
        rlock.Acquire();
        try
        {
            bool? withTimeout = null;
            bool? withoutWaiting = null;
            var other = TestThread.Start("other", () =>
            {
                withTimeout = rlock.Acquire(TimeSpan.FromMilliseconds(50));
                withoutWaiting = rlock.Acquire(0);
            });
            other.JoinAndRethrow();

            withTimeout.Should().BeFalse();
            withoutWaiting.Should().BeFalse();
            rlock.WaiterCount.Should().Be(0);
        }
        finally
        {
            rlock.Release();
        }
    }

    [Fact]
    public void a_negative_timeout_other_than_infinite_is_rejected()
    {
        var rlock = new TracedRLock();

        FluentActions.Invoking(() => rlock.Acquire(TimeSpan.FromMilliseconds(-2))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => rlock.Acquire(-2)).Should().Throw<ArgumentOutOfRangeException>();
        rlock.Acquire(Timeout.InfiniteTimeSpan).Should().BeTrue();
        rlock.Release();
    }

    [Fact]
    public void hold_releases_the_lock_when_the_scope_ends()
    {
        var rlock = new TracedRLock();

        using (rlock.Hold())
        {
            using (rlock.Hold())
            {
                rlock.RecursionCount.Should().Be(2);
            }

            rlock.RecursionCount.Should().Be(1);
        }

        rlock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void hold_releases_the_lock_when_the_block_throws()
    {
        var rlock = new TracedRLock();

        var act = () =>
        {
            using (rlock.Hold())
            {
                throw new InvalidOperationException("boom");
            }
        };

        act.Should().Throw<InvalidOperationException>();
        rlock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void hold_with_a_timeout_throws_a_timeout_exception_naming_the_lock_and_its_owner()
    {
        var rlock = new TracedRLock("busy");
        rlock.Acquire();
        try
        {
            var other = TestThread.Start("impatient", () =>
            {
                using (rlock.Hold(TimeSpan.FromMilliseconds(30)))
                {
                }
            });
            other.Join();

            other.Exception.Should().BeOfType<TimeoutException>()
                .Which.Message.Should().Contain("'busy'").And.Contain($"#{Environment.CurrentManagedThreadId}");
        }
        finally
        {
            rlock.Release();
        }
    }

    [Fact]
    public void the_recursion_count_of_the_current_thread_is_zero_while_another_thread_holds_it()
    {
        var rlock = new TracedRLock("counted");
        rlock.Acquire().Should().BeTrue("Python's acquire() returns True");
        rlock.Acquire();
        rlock.RecursionCountOfCurrentThread.Should().Be(2);
        int? seenByOther = null;
        int? ownersCountSeenByOther = null;

        var other = TestThread.Start("onlooker", () =>
        {
            seenByOther = rlock.RecursionCountOfCurrentThread;
            ownersCountSeenByOther = rlock.RecursionCount;
        });
        other.JoinAndRethrow();

        seenByOther.Should().Be(0, "the onlooker holds it zero times (Python's _recursion_count())");
        ownersCountSeenByOther.Should().Be(2, "RecursionCount is the owner's count, whoever asks");
        rlock.Release();
        rlock.Release();
        rlock.RecursionCountOfCurrentThread.Should().Be(0);
    }
}
