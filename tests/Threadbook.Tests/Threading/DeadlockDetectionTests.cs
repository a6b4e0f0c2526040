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
            report.IsDefinite.Should().BeTrue("untimed waits for RLocks whose owners wait in the cycle can never end");
            report.ToText().Should().StartWith("Deadlock detected").And.Contain("DeadlockException");
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
    public void a_timed_self_wait_on_a_plain_lock_returns_false_at_its_timeout_and_is_reported_as_suspected()
    {
        var plainLock = new TracedLock("lock-L");
        using var reports = new ReportCollector();
        bool? acquiredAgain = null;

        var selfWaiter = TestThread.Start("stubborn", () =>
        {
            using (plainLock.Hold())
            {
                // Longer than ConfirmationDelay plus a check interval, so the detector confirms the cycle first.
                acquiredAgain = plainLock.Acquire(TimeSpan.FromSeconds(2));
            }
        });
        selfWaiter.JoinAndRethrow();

        acquiredAgain.Should().BeFalse("a timed acquire returns false at its timeout, as lock.acquire(timeout=2) does");
        var report = reports.For(selfWaiter.ManagedThreadId);
        report.IsDefinite.Should().BeFalse("another thread could have released a Lock");
        var step = report.Steps.Should().ContainSingle().Subject;
        step.IsSelfWait.Should().BeTrue();
        step.WaitsFor.Should().Be("lock-L");
        step.ToText().Should().Contain("stubborn (#").And.Contain("which it holds itself").And.Contain("not re-entrant");
        report.Summary.Should().StartWith("Suspected deadlock: ");
        plainLock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void an_untimed_self_wait_on_a_plain_lock_goes_on_when_another_thread_releases_it_after_the_confirmation_delay()
    {
        var plainLock = new TracedLock("signal");
        using var reports = new ReportCollector();
        bool? acquiredAgain = null;

        var selfWaiter = TestThread.Start("signalled", () =>
        {
            plainLock.Acquire();
            acquiredAgain = plainLock.Acquire();   // legal in Python: another thread releases it later
            plainLock.Release();
        });

        // The detector has seen the wait for longer than ConfirmationDelay and reported it; it must not end it.
        Eventually.True(() => reports.Has(selfWaiter.ManagedThreadId), "the self-wait is reported as suspected");
        Thread.Sleep(DeadlockDetector.CheckInterval * 3);
        selfWaiter.Thread.IsAlive.Should().BeTrue("the wait goes on after the report");
        plainLock.Release();
        selfWaiter.JoinAndRethrow();

        acquiredAgain.Should().BeTrue();
        reports.For(selfWaiter.ManagedThreadId).IsDefinite.Should().BeFalse();
        plainLock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void a_timed_self_wait_on_the_only_slot_of_a_semaphore_returns_false_and_is_reported_as_suspected()
    {
        var semaphore = new TracedSemaphore(1, maxCount: 1, name: "single-slot");
        using var reports = new ReportCollector();
        bool? acquiredAgain = null;

        var selfWaiter = TestThread.Start("greedy", () =>
        {
            using (semaphore.Hold())
            {
                acquiredAgain = semaphore.Acquire(TimeSpan.FromSeconds(2));
            }
        });
        selfWaiter.JoinAndRethrow();

        acquiredAgain.Should().BeFalse();
        var report = reports.For(selfWaiter.ManagedThreadId);
        report.IsDefinite.Should().BeFalse();
        report.Steps.Should().ContainSingle().Which.WaitsForKind.Should().Be("Semaphore");
        semaphore.CurrentCount.Should().Be(1);
    }

    [Fact]
    public void two_threads_taking_two_locks_in_opposite_order_with_long_timeouts_both_get_false_and_a_suspected_report()
    {
        var lockA = new TracedRLock("timed-A");
        var lockB = new TracedRLock("timed-B");
        using var bothHoldOne = new Barrier(2);
        using var reports = new ReportCollector();
        bool? firstGotIt = null;
        bool? secondGotIt = null;

        var first = TestThread.Start("timed-1", () => firstGotIt = TakeInOrderWithTimeout(lockA, lockB, bothHoldOne, TimeSpan.FromSeconds(2)));
        var second = TestThread.Start("timed-2", () => secondGotIt = TakeInOrderWithTimeout(lockB, lockA, bothHoldOne, TimeSpan.FromSeconds(2)));
        TestThread.JoinAll(first, second);

        first.Exception.Should().BeNull("a timed wait never throws DeadlockException");
        second.Exception.Should().BeNull();
        firstGotIt.Should().BeFalse();
        secondGotIt.Should().BeFalse();
        var report = reports.For(first.ManagedThreadId);
        report.IsDefinite.Should().BeFalse("the waits end by their timeouts");
        report.ThreadIds.Should().BeEquivalentTo([first.ManagedThreadId, second.ManagedThreadId]);
    }

    [Fact]
    public void an_untimed_wait_in_a_cycle_with_a_timed_one_goes_on_once_the_timed_one_gives_up()
    {
        var lockA = new TracedRLock("mixed-A");
        var lockB = new TracedRLock("mixed-B");
        using var bothHoldOne = new Barrier(2);
        using var reports = new ReportCollector();
        bool? patientGotIt = null;
        bool? timedGotIt = null;

        // CPython runs this to completion: the timed acquire returns False, its thread lets go, the other goes on.
        var patient = TestThread.Start("patient", () =>
        {
            using (lockA.Hold())
            {
                bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
                patientGotIt = lockB.Acquire();
                lockB.Release();
            }
        });
        var timed = TestThread.Start("timed", () =>
        {
            using (lockB.Hold())
            {
                bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
                timedGotIt = lockA.Acquire(TimeSpan.FromSeconds(2));
            }
        });
        TestThread.JoinAll(patient, timed);

        patient.Exception.Should().BeNull();
        timed.Exception.Should().BeNull();
        patientGotIt.Should().BeTrue();
        timedGotIt.Should().BeFalse();
        reports.For(patient.ManagedThreadId).IsDefinite.Should().BeFalse();
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

        var first = TestThread.Start("patient-1", () => firstGotIt = TakeInOrderWithTimeout(lockA, lockB, bothHoldOne, TimeSpan.FromMilliseconds(150)));
        var second = TestThread.Start("patient-2", () => secondGotIt = TakeInOrderWithTimeout(lockB, lockA, bothHoldOne, TimeSpan.FromMilliseconds(150)));
        TestThread.JoinAll(first, second);

        first.Exception.Should().BeNull();
        second.Exception.Should().BeNull();
        firstGotIt.Should().BeFalse();
        secondGotIt.Should().BeFalse();
        DeadlockDetector.ReportCount.Should().Be(reportsBefore);
    }

    [Fact]
    public void the_report_renders_as_text_and_as_an_html_table_saying_whether_waits_were_ended()
    {
        var plainLock = new TracedLock("lock-<R>");
        using var reports = new ReportCollector();
        var thread = TestThread.Start("renderer", () =>
        {
            using (plainLock.Hold())
            {
                plainLock.Acquire(TimeSpan.FromSeconds(2));
            }
        });
        thread.JoinAndRethrow();
        var report = reports.For(thread.ManagedThreadId);

        report.ToText().Should().StartWith("Suspected deadlock detected").And.Contain("renderer (#").And.Contain("Nothing was ended");
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

    private static bool TakeInOrderWithTimeout(TracedRLock first, TracedRLock second, Barrier bothHoldOne, TimeSpan timeout)
    {
        using (first.Hold())
        {
            bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
            var acquired = second.Acquire(timeout);
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
