using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class ContentionTests
{
    private const int Threads = 4;
    private const int Iterations = 20_000;
    private const int YielderIterations = 1_000;

    [Fact]
    public void four_threads_incrementing_under_an_rlock_and_a_lock_count_exactly_and_see_no_deadlock()
    {
        var rlock = new TracedRLock("counter-rlock");
        var plainLock = new TracedLock("counter-lock");
        var reportsBefore = DeadlockDetector.ReportCount;
        long underRLock = 0;
        long underLock = 0;
        long underBoth = 0;

        var workers = Enumerable.Range(0, Threads).Select(i => TestThread.Start($"incrementer-{i}", () =>
        {
            for (var n = 0; n < Iterations; n++)
            {
                using (rlock.Hold())
                {
                    underRLock++;
                }

                plainLock.Acquire();
                underLock++;
                plainLock.Release();

                // Nested, always in the same order, and re-entrant on the outer lock: never a deadlock.
                using (rlock.Hold())
                using (plainLock.Hold())
                using (rlock.Hold())
                {
                    underBoth++;
                }
            }
        })).ToArray();
        TestThread.JoinAll(workers);

        workers.Select(worker => worker.Exception).Should().AllSatisfy(exception => exception.Should().BeNull());
        underRLock.Should().Be(Threads * Iterations);
        underLock.Should().Be(Threads * Iterations);
        underBoth.Should().Be(Threads * Iterations);
        DeadlockDetector.ReportCount.Should().Be(reportsBefore);
        rlock.IsHeld.Should().BeFalse();
        plainLock.IsHeld.Should().BeFalse();
        rlock.WaiterCount.Should().Be(0);
    }

    [Fact]
    public void the_detector_sees_no_cycle_under_contention_even_when_it_checks_every_millisecond_and_confirms_at_once()
    {
        var outer = new TracedRLock("outer");
        var inner = new TracedLock("inner");
        var slot = new TracedSemaphore(1, maxCount: 1, name: "slot");
        var reportsBefore = DeadlockDetector.ReportCount;
        var checksBefore = DeadlockDetector.CheckCount;
        var (interval, delay) = (DeadlockDetector.CheckInterval, DeadlockDetector.ConfirmationDelay);
        DeadlockDetector.CheckInterval = TimeSpan.FromMilliseconds(1);
        DeadlockDetector.ConfirmationDelay = TimeSpan.Zero;
        long count = 0;
        try
        {
            var workers = Enumerable.Range(0, Threads).Select(i => TestThread.Start($"yielder-{i}", () =>
            {
                for (var n = 0; n < YielderIterations; n++)
                {
                    // Yielding inside the locks makes the others block (not just spin), so waits register in
                    // the wait-for graph and check it while owners come and go.
                    using (outer.Hold())
                    using (inner.Hold())
                    {
                        count++;
                        if (n % 16 == 0)
                        {
                            Thread.Sleep(n % 128 == 0 ? 1 : 0);
                        }
                    }

                    using (slot.Hold())
                    using (outer.Hold())
                    {
                        if (n % 32 == 0)
                        {
                            Thread.Yield();
                        }
                    }
                }
            })).ToArray();
            TestThread.JoinAll(workers);

            workers.Select(worker => worker.Exception).Should().AllSatisfy(exception => exception.Should().BeNull());
        }
        finally
        {
            DeadlockDetector.CheckInterval = interval;
            DeadlockDetector.ConfirmationDelay = delay;
        }

        count.Should().Be(Threads * YielderIterations);
        DeadlockDetector.CheckCount.Should().BeGreaterThan(checksBefore, "blocked waits looked for cycles");
        DeadlockDetector.ReportCount.Should().Be(reportsBefore);
    }

    [Fact]
    public void four_threads_sharing_a_semaphore_of_two_slots_never_exceed_two_inside()
    {
        var semaphore = new TracedSemaphore(2, maxCount: 2, name: "two-slots");
        var inside = 0;
        var mostInside = 0;

        var workers = Enumerable.Range(0, Threads).Select(i => TestThread.Start($"slot-user-{i}", () =>
        {
            for (var n = 0; n < 2_000; n++)
            {
                using (semaphore.Hold())
                {
                    var now = Interlocked.Increment(ref inside);
                    InterlockedMax(ref mostInside, now);
                    Interlocked.Decrement(ref inside);
                }
            }
        })).ToArray();
        TestThread.JoinAll(workers);

        workers.Select(worker => worker.Exception).Should().AllSatisfy(exception => exception.Should().BeNull());
        mostInside.Should().BeInRange(1, 2);
        semaphore.CurrentCount.Should().Be(2);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
