using System.Collections.Concurrent;
using Threadbook.Threading;
using static Threadbook.Tests.Conformance.LockTestTiming;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>
/// lock_tests.BaseSemaphoreTests: the tests both kinds of semaphore pass, given Python's <c>semtype</c> (called with
/// a value) and <c>semtype()</c> (its default). <see cref="SemaphoreTests"/> and <see cref="BoundedSemaphoreTests"/> run them.
/// </summary>
internal static class BaseSemaphoreTests
{
    public static void test_constructor(Func<int, TracedSemaphore> semtype)
    {
        FluentActions.Invoking(() => semtype(-1)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => semtype(-int.MaxValue)).Should().Throw<ArgumentOutOfRangeException>();
    }

    public static void test_acquire(Func<int, TracedSemaphore> semtype)
    {
        var sem = semtype(1);
        sem.Acquire();
        sem.Release();
        sem = semtype(2);
        sem.Acquire();
        sem.Acquire();
        sem.Release();
        sem.Release();
        sem.CurrentCount.Should().Be(2);
    }

    public static void test_acquire_destroy(Func<TracedSemaphore> semtypeDefault)
    {
        var sem = semtypeDefault();
        sem.Acquire().Should().BeTrue();
        // del sem
    }

    public static void test_acquire_contended(Func<int, TracedSemaphore> semtype)
    {
        const int semValue = 7;
        var sem = semtype(semValue);
        sem.Acquire();

        var semResults = new ConcurrentQueue<bool>();
        var results1 = new ConcurrentQueue<int>();
        var results2 = new ConcurrentQueue<int>();
        var phaseNum = 0;
        void Func()
        {
            semResults.Enqueue(sem.Acquire());
            results1.Enqueue(Volatile.Read(ref phaseNum));
            semResults.Enqueue(sem.Acquire());
            results2.Enqueue(Volatile.Read(ref phaseNum));
        }

        void WaitCount(int count) => WaitUntil(() => results1.Count + results2.Count >= count, $"{count} acquires");

        const int count1 = semValue - 1;
        const int count2 = semValue;
        const int count3 = semValue - 1;
        const int count4 = 1;
        Bunch.Run(Func, 10, _ =>
        {
            // Phase 0
            WaitCount(count1);
            results1.Concat(results2).Should().Equal(Enumerable.Repeat(0, count1));

            // Phase 1
            Volatile.Write(ref phaseNum, 1);
            for (var i = 0; i < semValue; i++)
            {
                sem.Release();
            }

            WaitCount(count1 + count2);
            results1.Concat(results2).Order().Should().Equal(Enumerable.Repeat(0, count1).Concat(Enumerable.Repeat(1, count2)));

            // Phase 2
            Volatile.Write(ref phaseNum, 2);
            for (var i = 0; i < count3; i++)
            {
                sem.Release();
            }

            WaitCount(count1 + count2 + count3);
            results1.Concat(results2).Order().Should().Equal(
                Enumerable.Repeat(0, count1).Concat(Enumerable.Repeat(1, count2)).Concat(Enumerable.Repeat(2, count3)));

            // The semaphore is still locked
            sem.Acquire(TimeSpan.Zero).Should().BeFalse();

            // Final release, to let the last thread finish
            sem.Release();
        });
        semResults.Should().Equal(Enumerable.Repeat(true, count1 + count2 + count3 + count4));
    }

    public static void test_multirelease(Func<int, TracedSemaphore> semtype)
    {
        const int semValue = 7;
        var sem = semtype(semValue);
        sem.Acquire();

        var results1 = new ConcurrentQueue<int>();
        var results2 = new ConcurrentQueue<int>();
        var phaseNum = 0;
        void Func()
        {
            sem.Acquire();
            results1.Enqueue(Volatile.Read(ref phaseNum));
            sem.Acquire();
            results2.Enqueue(Volatile.Read(ref phaseNum));
        }

        void WaitCount(int count) => WaitUntil(() => results1.Count + results2.Count >= count, $"{count} acquires");

        Bunch.Run(Func, 10, _ =>
        {
            // Phase 0
            const int count1 = semValue - 1;
            WaitCount(count1);
            results1.Concat(results2).Should().Equal(Enumerable.Repeat(0, count1));

            // Phase 1
            Volatile.Write(ref phaseNum, 1);
            const int count2 = semValue;
            sem.Release(count2);
            WaitCount(count1 + count2);
            results1.Concat(results2).Order().Should().Equal(Enumerable.Repeat(0, count1).Concat(Enumerable.Repeat(1, count2)));

            // Phase 2
            Volatile.Write(ref phaseNum, 2);
            const int count3 = semValue - 1;
            sem.Release(count3);
            WaitCount(count1 + count2 + count3);
            results1.Concat(results2).Order().Should().Equal(
                Enumerable.Repeat(0, count1).Concat(Enumerable.Repeat(1, count2)).Concat(Enumerable.Repeat(2, count3)));

            // The semaphore is still locked
            sem.Acquire(TimeSpan.Zero).Should().BeFalse();

            // Final release, to let the last thread finish
            sem.Release();
        });
    }

    public static void test_try_acquire(Func<int, TracedSemaphore> semtype)
    {
        var sem = semtype(2);
        sem.Acquire(TimeSpan.Zero).Should().BeTrue();
        sem.Acquire(TimeSpan.Zero).Should().BeTrue();
        sem.Acquire(TimeSpan.Zero).Should().BeFalse();
        sem.Release();
        sem.Acquire(TimeSpan.Zero).Should().BeTrue();
    }

    public static void test_try_acquire_contended(Func<int, TracedSemaphore> semtype)
    {
        var sem = semtype(4);
        sem.Acquire();
        var results = new ConcurrentQueue<bool>();
        Bunch.Run(() =>
        {
            results.Enqueue(sem.Acquire(TimeSpan.Zero));
            results.Enqueue(sem.Acquire(TimeSpan.Zero));
        }, 5);
        // A thread switch may come between acquiring and recording, so the results are compared sorted.
        results.Order().Should().Equal(Enumerable.Repeat(false, 7).Concat(Enumerable.Repeat(true, 3)));
    }

    public static void test_acquire_timeout(Func<int, TracedSemaphore> semtype)
    {
        var sem = semtype(2);
        // acquire(False, timeout=1.0) raises ValueError in Python: C#'s overloads have no blocking flag to combine.
        sem.Acquire(TimeSpan.FromSeconds(0.005)).Should().BeTrue();
        sem.Acquire(TimeSpan.FromSeconds(0.005)).Should().BeTrue();
        sem.Acquire(TimeSpan.FromSeconds(0.005)).Should().BeFalse();
        sem.Release();
        sem.Acquire(TimeSpan.FromSeconds(0.005)).Should().BeTrue();
        var acquired = true;
        var elapsed = Time(() => acquired = sem.Acquire(TimeSpan.FromSeconds(0.5)));
        acquired.Should().BeFalse();
        AssertTimeout(elapsed, TimeSpan.FromSeconds(0.5));
    }

    public static void test_default_value(Func<TracedSemaphore> semtypeDefault)
    {
        // The default initial value is 1.
        var sem = semtypeDefault();
        sem.Acquire();
        Bunch.Run(() =>
        {
            sem.Acquire();
            sem.Release();
        }, 1, bunch =>
        {
            // Thread blocked on sem.acquire()
            WaitThreadsBlocked(1);
            bunch.FinishedCount.Should().Be(0);

            // Thread unblocked
            sem.Release();
        });
    }

    public static void test_with(Func<int, TracedSemaphore> semtype)
    {
        var sem = semtype(2);
        void With(Exception? err)
        {
            using (sem.Hold())
            {
                sem.Acquire(TimeSpan.Zero).Should().BeTrue();
                sem.Release();
                using (sem.Hold())
                {
                    sem.Acquire(TimeSpan.Zero).Should().BeFalse();
                    if (err is not null)
                    {
                        throw err;
                    }
                }
            }
        }

        With(null);
        sem.Acquire(TimeSpan.Zero).Should().BeTrue();
        sem.Release();
        FluentActions.Invoking(() => With(new InvalidCastException("TypeError"))).Should().Throw<InvalidCastException>();
        sem.Acquire(TimeSpan.Zero).Should().BeTrue();
        sem.Release();
    }
}
