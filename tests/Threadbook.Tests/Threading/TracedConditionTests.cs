using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class TracedConditionTests
{
    [Fact]
    public void a_condition_without_a_lock_gets_its_own_named_after_it()
    {
        var condition = new TracedCondition(name: "items");

        condition.Lock.Name.Should().Be("items.lock");
        new TracedCondition(new TracedRLock("given")).Lock.Name.Should().Be("given");
    }

    [Fact]
    public void a_consumer_receives_every_item_a_producer_hands_over()
    {
        const int Items = 2_000;
        var condition = new TracedCondition(name: "queue");
        var queue = new Queue<int>();
        var received = new List<int>();
        var consumer = TestThread.Start("consumer", () =>
        {
            while (received.Count < Items)
            {
                using (condition.Hold())
                {
                    condition.WaitFor(() => queue.Count > 0).Should().BeTrue();
                    while (queue.Count > 0)
                    {
                        received.Add(queue.Dequeue());
                    }
                }
            }
        });
        var producer = TestThread.Start("producer", () =>
        {
            for (var i = 0; i < Items; i++)
            {
                using (condition.Hold())
                {
                    queue.Enqueue(i);
                    condition.Notify();
                }
            }
        });

        TestThread.JoinAll(producer, consumer);
        producer.Exception.Should().BeNull();
        consumer.Exception.Should().BeNull();
        received.Should().Equal(Enumerable.Range(0, Items));
    }

    [Fact]
    public void wait_releases_a_recursive_hold_completely_and_restores_it()
    {
        var condition = new TracedCondition(name: "recursive");
        var lockTakenByOther = false;
        condition.Acquire();
        condition.Acquire();
        var notifier = TestThread.Start("notifier", () =>
        {
            Eventually.True(() => condition.WaiterCount == 1, "the owner waits");
            using (condition.Hold())
            {
                lockTakenByOther = true;
                condition.Notify();
            }
        });

        var notified = condition.Wait(TestThread.JoinTimeout);

        notifier.JoinAndRethrow();
        notified.Should().BeTrue();
        lockTakenByOther.Should().BeTrue("the wait released both levels of the hold");
        condition.Lock.IsHeldByCurrentThread.Should().BeTrue();
        ((TracedRLock)condition.Lock).RecursionCount.Should().Be(2);
        condition.Release();
        condition.Release();
        condition.Lock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void wait_with_a_timeout_returns_false_and_holds_the_lock_again()
    {
        var condition = new TracedCondition();

        using (condition.Hold())
        {
            condition.Wait(TimeSpan.FromMilliseconds(20)).Should().BeFalse();
            condition.Lock.IsHeldByCurrentThread.Should().BeTrue();
            condition.WaiterCount.Should().Be(0);
        }
    }

    [Fact]
    public void wait_for_returns_false_when_the_predicate_stays_false_past_the_timeout()
    {
        var condition = new TracedCondition();

        using (condition.Hold())
        {
            condition.WaitFor(() => false, TimeSpan.FromMilliseconds(20)).Should().BeFalse();
            condition.WaitFor(() => true, TimeSpan.Zero).Should().BeTrue();
        }
    }

    [Fact]
    public void waiting_or_notifying_without_the_lock_throws_like_python()
    {
        var condition = new TracedCondition(name: "unheld");

        FluentActions.Invoking(() => condition.Wait(TimeSpan.FromMilliseconds(10)))
            .Should().Throw<SynchronizationLockException>().WithMessage("*'unheld'*does not hold*cannot wait on un-acquired lock*");
        FluentActions.Invoking(() => condition.Notify())
            .Should().Throw<SynchronizationLockException>().WithMessage("*cannot notify on un-acquired lock*");
        FluentActions.Invoking(condition.NotifyAll).Should().Throw<SynchronizationLockException>();
    }

    [Fact]
    public void notify_wakes_as_many_waiters_as_asked_and_notify_all_the_rest()
    {
        var condition = new TracedCondition();
        var woken = 0;
        var waiters = Enumerable.Range(0, 3).Select(i => TestThread.Start($"waiter-{i}", () =>
        {
            using (condition.Hold())
            {
                condition.Wait(TestThread.JoinTimeout).Should().BeTrue();
                woken++;
            }
        })).ToArray();
        Eventually.True(() => condition.WaiterCount == 3, "all three wait");

        using (condition.Hold())
        {
            condition.Notify();
        }

        Eventually.True(() => Volatile.Read(ref woken) == 1, "one waiter wakes");
        condition.WaiterCount.Should().Be(2);
        using (condition.Hold())
        {
            condition.NotifyAll();
        }

        TestThread.JoinAll(waiters);
        waiters.Select(waiter => waiter.Exception).Should().AllSatisfy(exception => exception.Should().BeNull());
        woken.Should().Be(3);
    }

    [Fact]
    public void a_condition_over_a_plain_lock_releases_it_while_waiting_and_takes_it_back()
    {
        var plainLock = new TracedLock("plain");
        var condition = new TracedCondition(plainLock, "over-a-lock");
        var ready = false;
        condition.Acquire().Should().BeTrue();
        plainLock.IsHeldByCurrentThread.Should().BeTrue();
        condition.Acquire(TimeSpan.Zero).Should().BeFalse("a plain Lock is not re-entrant");

        var notifier = TestThread.Start("notifier", () =>
        {
            Eventually.True(() => condition.WaiterCount == 1, "the owner waits");
            using (condition.Hold())
            {
                ready = true;
                condition.Notify();
            }
        });
        var satisfied = condition.WaitFor(() => ready, TestThread.JoinTimeout);

        notifier.JoinAndRethrow();
        satisfied.Should().BeTrue();
        condition.Lock.Should().BeSameAs(plainLock);
        plainLock.IsHeldByCurrentThread.Should().BeTrue("the wait took the lock back");
        condition.Release();
        plainLock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void waiting_on_a_condition_over_a_plain_lock_without_acquiring_it_throws_like_python()
    {
        var condition = new TracedCondition(new TracedLock("not-mine"), "strict");

        FluentActions.Invoking(() => condition.Wait(TimeSpan.FromMilliseconds(10)))
            .Should().Throw<SynchronizationLockException>().WithMessage("*cannot wait on un-acquired lock*");
        FluentActions.Invoking(() => condition.Notify())
            .Should().Throw<SynchronizationLockException>().WithMessage("*cannot notify on un-acquired lock*");
    }
}
