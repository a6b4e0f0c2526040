using System.Collections.Concurrent;
using Threadbook.Threading;
using static Threadbook.Tests.Conformance.LockTestTiming;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>lock_tests.ConditionTests on <see cref="TracedCondition"/>, Python's <c>threading.Condition</c>.</summary>
[Trait("Category", "Conformance")]
public class ConditionTests
{
    [Fact]
    public void ConditionTests_test_acquire()
    {
        var cond = new TracedCondition();
        // By default we have an RLock: the condition can be acquired multiple times.
        cond.Acquire();
        cond.Acquire();
        cond.Release();
        cond.Release();
        var plainLock = new TracedLock();
        cond = new TracedCondition(plainLock);
        cond.Acquire();
        plainLock.Acquire(TimeSpan.Zero).Should().BeFalse();
        cond.Release();
        plainLock.Acquire(TimeSpan.Zero).Should().BeTrue();
        cond.Acquire(TimeSpan.Zero).Should().BeFalse();
        plainLock.Release();
        using (cond.Hold())
        {
            plainLock.Acquire(TimeSpan.Zero).Should().BeFalse();
        }
    }

    [Fact]
    public void ConditionTests_test_unacquired_wait()
    {
        var cond = new TracedCondition();
        FluentActions.Invoking(() => cond.Wait()).Should().Throw<SynchronizationLockException>();
    }

    [Fact]
    public void ConditionTests_test_unacquired_notify()
    {
        var cond = new TracedCondition();
        FluentActions.Invoking(() => cond.Notify()).Should().Throw<SynchronizationLockException>();
    }

    [Fact]
    public void ConditionTests_test_notify()
    {
        var cond = new TracedCondition();
        CheckNotify(cond);
        // A second time, to check internal state is still ok.
        CheckNotify(cond);
    }

    [Fact]
    public void ConditionTests_test_timeout()
    {
        var cond = new TracedCondition();
        var timeout = TimeSpan.FromSeconds(0.5);
        var results = new ConcurrentQueue<(TimeSpan Elapsed, bool Result)>();
        void F()
        {
            cond.Acquire();
            var result = false;
            var elapsed = Time(() => result = cond.Wait(timeout));
            cond.Release();
            results.Enqueue((elapsed, result));
        }

        const int N = 5;
        Bunch.Run(F, N);
        results.Should().HaveCount(N);
        foreach (var (elapsed, result) in results)
        {
            AssertTimeout(elapsed, timeout);
            // This implementation has no spurious wake-ups either.
            result.Should().BeFalse();
        }
    }

    [Fact]
    public void ConditionTests_test_waitfor()
    {
        var cond = new TracedCondition();
        var state = 0;
        Bunch.Run(() =>
        {
            using (cond.Hold())
            {
                var result = cond.WaitFor(() => state == 4);
                result.Should().BeTrue();
                state.Should().Be(4);
            }
        }, 1, _ =>
        {
            for (var i = 0; i < 4; i++)
            {
                Thread.Sleep(10);
                using (cond.Hold())
                {
                    state += 1;
                    cond.Notify();
                }
            }
        });
    }

    [Fact]
    public void ConditionTests_test_waitfor_timeout()
    {
        var cond = new TracedCondition();
        var state = 0;
        var success = new ConcurrentQueue<object?>();
        Bunch.Run(() =>
        {
            using (cond.Hold())
            {
                var result = true;
                var elapsed = Time(() => result = cond.WaitFor(() => state == 4, TimeSpan.FromSeconds(0.1)));
                result.Should().BeFalse();
                AssertTimeout(elapsed, TimeSpan.FromSeconds(0.1));
                success.Enqueue(null);
            }
        }, 1, _ =>
        {
            // Only increment 3 times, so state == 4 is never reached.
            for (var i = 0; i < 3; i++)
            {
                Thread.Sleep(10);
                using (cond.Hold())
                {
                    state += 1;
                    cond.Notify();
                }
            }
        });
        success.Should().HaveCount(1);
    }

    private static void CheckNotify(TracedCondition cond)
    {
        // Sensitive to timing, as upstream: the main thread waits for the workers to settle before each step, and
        // relies on condition variables having no spurious wake-ups (true of TracedCondition too).
        var ready = new ConcurrentQueue<int>();
        var results1 = new ConcurrentQueue<(bool, int)>();
        var results2 = new ConcurrentQueue<(bool, int)>();
        var phaseNum = 0;
        void F()
        {
            cond.Acquire();
            ready.Enqueue(Volatile.Read(ref phaseNum));
            var result = cond.Wait();
            cond.Release();
            results1.Enqueue((result, Volatile.Read(ref phaseNum)));

            cond.Acquire();
            ready.Enqueue(Volatile.Read(ref phaseNum));
            result = cond.Wait();
            cond.Release();
            results2.Enqueue((result, Volatile.Read(ref phaseNum)));
        }

        const int N = 5;
        Bunch.Run(F, N, _ =>
        {
            // First wait, to ensure all workers settle into cond.wait() before we continue (issues #8799, #30727).
            WaitUntil(() => ready.Count >= N, "every worker is ready");
            ready.Clear();
            results1.Should().BeEmpty();

            // Notify 3 threads at first
            const int count1 = 3;
            cond.Acquire();
            cond.Notify(count1);
            WaitThreadsBlocked(count1);

            // Phase 1
            Volatile.Write(ref phaseNum, 1);
            cond.Release();
            WaitUntil(() => results1.Count >= count1, "three workers woke");
            results1.Should().Equal(Enumerable.Repeat((true, 1), count1));
            results2.Should().BeEmpty();

            // Wait until awoken workers are blocked on cond.wait()
            WaitUntil(() => ready.Count >= count1, "the woken workers wait again");

            // Notify 5 threads: they might be in their first or second wait
            cond.Acquire();
            cond.Notify(5);
            WaitThreadsBlocked(N);

            // Phase 2
            Volatile.Write(ref phaseNum, 2);
            cond.Release();
            WaitUntil(() => results1.Count + results2.Count >= N + count1, "every notified worker woke");
            const int count2 = N - count1;
            results1.Should().Equal(Enumerable.Repeat((true, 1), count1).Concat(Enumerable.Repeat((true, 2), count2)));
            results2.Should().Equal(Enumerable.Repeat((true, 2), count1));

            // Make sure all workers settle into cond.wait()
            WaitUntil(() => ready.Count >= N, "every worker waits again");

            // Notify all threads: they are all in their second wait
            cond.Acquire();
            cond.NotifyAll();
            WaitThreadsBlocked(N);

            // Phase 3
            Volatile.Write(ref phaseNum, 3);
            cond.Release();
            WaitUntil(() => results2.Count >= N, "every worker woke a second time");
            results1.Should().Equal(Enumerable.Repeat((true, 1), count1).Concat(Enumerable.Repeat((true, 2), count2)));
            results2.Should().Equal(Enumerable.Repeat((true, 2), count1).Concat(Enumerable.Repeat((true, 3), count2)));
        });
    }
}
