using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class TracedLockTests
{
    [Fact]
    public void acquire_locks_it_and_records_the_owner()
    {
        var plainLock = new TracedLock("plain");

        plainLock.Acquire();

        plainLock.IsHeld.Should().BeTrue();
        plainLock.Owner.Should().BeSameAs(Thread.CurrentThread);
        plainLock.Release();
        plainLock.IsHeld.Should().BeFalse();
        plainLock.Owner.Should().BeNull();
    }

    [Fact]
    public void the_owner_cannot_acquire_it_again()
    {
        var plainLock = new TracedLock();
        plainLock.Acquire();
        try
        {
            plainLock.Acquire(TimeSpan.Zero).Should().BeFalse();
            plainLock.Acquire(TimeSpan.FromMilliseconds(30)).Should().BeFalse("a Lock is not re-entrant");
        }
        finally
        {
            plainLock.Release();
        }
    }

    [Fact]
    public void another_thread_may_release_it_as_in_python()
    {
        var plainLock = new TracedLock("signal");
        plainLock.Acquire();

        var releaser = TestThread.Start("releaser", plainLock.Release);
        releaser.JoinAndRethrow();

        plainLock.IsHeld.Should().BeFalse();
        plainLock.Acquire(0).Should().BeTrue();
        plainLock.Release();
    }

    [Fact]
    public void a_release_by_another_thread_wakes_a_waiter()
    {
        var plainLock = new TracedLock();
        plainLock.Acquire();
        var waiter = TestThread.Start("waiter", () =>
        {
            plainLock.Acquire();
            plainLock.Release();
        });
        Eventually.True(() => plainLock.WaiterCount == 1, "the waiter blocks");
        plainLock.Waiters.Should().ContainSingle().Which.Should().BeSameAs(waiter.Thread);

        var releaser = TestThread.Start("releaser", plainLock.Release);

        TestThread.JoinAll(releaser, waiter);
        releaser.Exception.Should().BeNull();
        waiter.Exception.Should().BeNull();
        plainLock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void release_of_an_unlocked_lock_throws_like_python()
    {
        var plainLock = new TracedLock("open");

        var act = plainLock.Release;

        act.Should().Throw<SynchronizationLockException>().WithMessage("*'open'*not locked*release unlocked lock*");
    }

    [Fact]
    public void hold_releases_it_when_the_block_throws()
    {
        var plainLock = new TracedLock();

        var act = () =>
        {
            using (plainLock.Hold())
            {
                throw new InvalidOperationException("boom");
            }
        };

        act.Should().Throw<InvalidOperationException>();
        plainLock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void hold_with_a_timeout_throws_naming_the_lock()
    {
        var plainLock = new TracedLock("taken");
        plainLock.Acquire();
        try
        {
            var act = () => plainLock.Hold(TimeSpan.FromMilliseconds(20));

            act.Should().Throw<TimeoutException>().WithMessage("*'taken'*");
        }
        finally
        {
            plainLock.Release();
        }
    }
}
