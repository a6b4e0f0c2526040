using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class DeadlockDetectionTests
{
    [Fact]
    public void two_threads_taking_two_locks_in_opposite_order_are_reported_and_both_unwind()
    {
        var lockA = new TracedRLock("lock-A");
        var lockB = new TracedRLock("lock-B");
        using var bothHoldOne = new Barrier(2);
        var announced = new List<DeadlockReport>();
        EventHandler<DeadlockReport> onDeadlock = (_, report) => { lock (announced) { announced.Add(report); } };
        DeadlockDetector.DeadlockDetected += onDeadlock;
        try
        {
            var first = TestThread.Start("worker-1", () => TakeInOrder(lockA, lockB, bothHoldOne));
            var second = TestThread.Start("worker-2", () => TakeInOrder(lockB, lockA, bothHoldOne));

            TestThread.JoinAll(first, second);

            first.Exception.Should().BeOfType<DeadlockException>();
            second.Exception.Should().BeOfType<DeadlockException>();
            var report = ((DeadlockException)first.Exception!).Report;
            ((DeadlockException)second.Exception!).Report.Should().BeSameAs(report, "both waits end with the same report");
            report.Steps.Should().HaveCount(2);
            report.ThreadIds.Should().BeEquivalentTo([first.ManagedThreadId, second.ManagedThreadId]);
            report.ObjectNames.Should().BeEquivalentTo(["lock-A", "lock-B"]);
            report.Summary.Should()
                .Contain($"worker-1 (#{first.ManagedThreadId}) holds lock-A and waits for lock-B, held by worker-2 (#{second.ManagedThreadId})")
                .And.Contain($"worker-2 (#{second.ManagedThreadId}) holds lock-B and waits for lock-A, held by worker-1 (#{first.ManagedThreadId})");
            first.Exception!.Message.Should().Contain(report.Summary);
            DeadlockDetector.LastReport.Should().BeSameAs(report);
            lock (announced)
            {
                announced.Should().ContainSingle().Which.Should().BeSameAs(report);
            }

            lockA.IsHeld.Should().BeFalse("the threads' using scopes released what they held");
            lockB.IsHeld.Should().BeFalse();
        }
        finally
        {
            DeadlockDetector.DeadlockDetected -= onDeadlock;
        }
    }

    [Fact]
    public void a_thread_acquiring_a_plain_lock_it_already_holds_is_reported_instead_of_hanging()
    {
        var plainLock = new TracedLock("lock-L");

        var selfDeadlocked = TestThread.Start("stubborn", () =>
        {
            using (plainLock.Hold())
            {
                plainLock.Acquire();
            }
        });
        selfDeadlocked.Join();

        var step = selfDeadlocked.Exception.Should().BeOfType<DeadlockException>().Which.Report.Steps.Should().ContainSingle().Subject;
        step.IsSelfWait.Should().BeTrue();
        step.ThreadId.Should().Be(selfDeadlocked.ManagedThreadId);
        step.WaitsFor.Should().Be("lock-L");
        step.ToText().Should().Contain("stubborn (#").And.Contain("which it holds itself").And.Contain("not re-entrant");
        plainLock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void a_thread_taking_twice_the_only_slot_of_a_semaphore_is_reported()
    {
        var semaphore = new TracedSemaphore(1, maxCount: 1, name: "single-slot");

        var selfDeadlocked = TestThread.Start("greedy", () =>
        {
            using (semaphore.Hold())
            {
                semaphore.Acquire();
            }
        });
        selfDeadlocked.Join();

        selfDeadlocked.Exception.Should().BeOfType<DeadlockException>()
            .Which.Report.Steps.Should().ContainSingle().Which.WaitsForKind.Should().Be("Semaphore");
        semaphore.CurrentCount.Should().Be(1);
    }

    [Fact]
    public void a_cycle_through_a_conditions_lock_is_reported_and_the_waiter_unwinds_cleanly()
    {
        var resource = new TracedRLock("resource");
        var condition = new TracedCondition(name: "ready");
        var waiter = TestThread.Start("waiter", () =>
        {
            using (resource.Hold())
            using (condition.Hold())
            {
                // Releases the condition's lock while it waits, but keeps holding the resource.
                condition.Wait();
            }
        });
        Eventually.True(() => condition.WaiterCount == 1, "the waiter waits on the condition");
        var notifier = TestThread.Start("notifier", () =>
        {
            using (condition.Hold())
            {
                condition.Notify();
                using (resource.Hold())
                {
                }
            }
        });

        TestThread.JoinAll(waiter, notifier);

        waiter.Exception.Should().BeOfType<DeadlockException>("unwinding its scopes must not hide the deadlock");
        notifier.Exception.Should().BeOfType<DeadlockException>();
        ((DeadlockException)waiter.Exception!).Report.ObjectNames.Should().BeEquivalentTo(["resource", "ready.lock"]);
        resource.IsHeld.Should().BeFalse();
        condition.Lock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void waits_in_a_cycle_that_time_out_before_it_is_confirmed_are_not_reported()
    {
        var lockA = new TracedRLock("short-A");
        var lockB = new TracedRLock("short-B");
        using var bothHoldOne = new Barrier(2);
        var reportsBefore = DeadlockDetector.ReportCount;
        bool? firstGotIt = null;
        bool? secondGotIt = null;

        var first = TestThread.Start("patient-1", () => firstGotIt = TakeInOrderWithTimeout(lockA, lockB, bothHoldOne));
        var second = TestThread.Start("patient-2", () => secondGotIt = TakeInOrderWithTimeout(lockB, lockA, bothHoldOne));
        TestThread.JoinAll(first, second);

        first.Exception.Should().BeNull();
        second.Exception.Should().BeNull();
        firstGotIt.Should().BeFalse();
        secondGotIt.Should().BeFalse();
        DeadlockDetector.ReportCount.Should().Be(reportsBefore);
    }

    [Fact]
    public void the_report_renders_as_text_and_as_an_html_table()
    {
        var plainLock = new TracedLock("lock-<R>");
        var thread = TestThread.Start("renderer", () =>
        {
            using (plainLock.Hold())
            {
                plainLock.Acquire();
            }
        });
        thread.Join();
        var report = thread.Exception.Should().BeOfType<DeadlockException>().Which.Report;

        report.ToText().Should().StartWith("Deadlock detected").And.Contain("renderer (#").And.Contain("DeadlockException");
        report.ToHtml().Should().Contain("<table>").And.Contain("lock-&lt;R&gt;").And.NotContain("lock-<R>");
        report.ToString().Should().Be(report.Summary);
    }

    private static void TakeInOrder(TracedRLock first, TracedRLock second, Barrier bothHoldOne)
    {
        using (first.Hold())
        {
            bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
            using (second.Hold())
            {
            }
        }
    }

    private static bool TakeInOrderWithTimeout(TracedRLock first, TracedRLock second, Barrier bothHoldOne)
    {
        using (first.Hold())
        {
            bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
            var acquired = second.Acquire(TimeSpan.FromMilliseconds(150));
            if (acquired)
            {
                second.Release();
            }

            // Both must still be holding their first lock when the other one's wait ends.
            bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
            return acquired;
        }
    }
}
