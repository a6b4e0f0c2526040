using Threadbook.Threading;
using Threadbook.Tracing;

namespace Threadbook.Tests.Threading;

public class PrimitiveTracingTests
{
    [Fact]
    public void each_primitive_registers_itself_once_with_its_name_and_kind()
    {
        var rlock = new TracedRLock("registered");
        var semaphore = new TracedSemaphore(1, name: "sem");

        TraceRecorder.FindObject(rlock.ObjectId).Should().Be(new TraceObject(rlock.ObjectId, "registered", "RLock"));
        TraceRecorder.FindObject(new TracedLock().ObjectId)!.Kind.Should().Be("Lock");
        TraceRecorder.FindObject(new TracedEvent().ObjectId)!.Kind.Should().Be("Event");
        TraceRecorder.FindObject(semaphore.ObjectId)!.Kind.Should().Be("Semaphore");
        TraceRecorder.FindObject(new TracedCondition().ObjectId)!.Kind.Should().Be("Condition");
    }

    [Fact]
    public void uncontended_acquires_and_releases_record_the_recursion_and_no_wait()
    {
        var rlock = new TracedRLock("quiet");
        Trace trace;
        using (var recorder = TraceRecorder.Start("uncontended"))
        {
            rlock.Acquire();
            rlock.Acquire();
            rlock.Release();
            rlock.Release();
            trace = recorder.Stop();
        }

        var events = EventsOf(trace, rlock.ObjectId);
        events.Select(e => (e.Kind, e.Value)).Should().Equal(
            (TraceEventKind.Acquired, 1L),
            (TraceEventKind.Acquired, 2L),
            (TraceEventKind.Released, 1L),
            (TraceEventKind.Released, 0L));
        events.Should().OnlyContain(e => e.ThreadId == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void a_contended_acquire_records_a_wait_ended_by_the_thread_that_released()
    {
        var rlock = new TracedRLock("contended");
        var me = Environment.CurrentManagedThreadId;
        Trace trace;
        TestThread waiter;
        using (var recorder = TraceRecorder.Start("contended"))
        {
            rlock.Acquire();
            waiter = TestThread.Start("waiter", () =>
            {
                rlock.Acquire();
                rlock.Release();
            });
            Eventually.True(() => rlock.WaiterCount == 1, "the waiter blocks");
            rlock.Release();
            waiter.JoinAndRethrow();
            trace = recorder.Stop();
        }

        var waiterEvents = EventsOf(trace, rlock.ObjectId, waiter.ManagedThreadId);
        waiterEvents.Select(e => e.Kind).Should().Equal(
            TraceEventKind.WaitBegan, TraceEventKind.WaitEnded, TraceEventKind.Acquired, TraceEventKind.Released);
        waiterEvents[0].WaitKind.Should().Be(WaitKind.Lock);
        waiterEvents[0].RelatedThreadId.Should().Be(me, "the wait began while this thread held the lock");
        waiterEvents[1].Outcome.Should().Be(WaitOutcome.Satisfied);
        waiterEvents[1].RelatedThreadId.Should().Be(me, "this thread's release let the waiter in");
        EventsOf(trace, rlock.ObjectId, me).Select(e => (e.Kind, e.Value))
            .Should().Equal((TraceEventKind.Acquired, 1L), (TraceEventKind.Released, 0L));
        var released = EventsOf(trace, rlock.ObjectId, me)[1];
        released.Timestamp.Should().BeLessThanOrEqualTo(waiterEvents[1].Timestamp, "the release is recorded before it wakes anyone");
    }

    [Fact]
    public void a_timed_out_acquire_records_a_wait_that_timed_out()
    {
        var plainLock = new TracedLock("held");
        Trace trace;
        TestThread other;
        using (var recorder = TraceRecorder.Start("timeout"))
        {
            plainLock.Acquire();
            other = TestThread.Start("impatient", () => plainLock.Acquire(TimeSpan.FromMilliseconds(20)).Should().BeFalse());
            other.JoinAndRethrow();
            plainLock.Release();
            trace = recorder.Stop();
        }

        var events = EventsOf(trace, plainLock.ObjectId, other.ManagedThreadId);
        events.Select(e => (e.Kind, e.Outcome)).Should().Equal(
            (TraceEventKind.WaitBegan, WaitOutcome.None), (TraceEventKind.WaitEnded, WaitOutcome.TimedOut));
    }

    [Fact]
    public void an_event_records_set_and_clear_and_a_wait_ended_by_the_setter()
    {
        var flag = new TracedEvent("flag");
        var me = Environment.CurrentManagedThreadId;
        Trace trace;
        TestThread waiter;
        using (var recorder = TraceRecorder.Start("event"))
        {
            waiter = TestThread.Start("waiter", () => flag.Wait(TestThread.JoinTimeout).Should().BeTrue());
            Eventually.True(() => flag.WaiterCount == 1, "the waiter waits");
            flag.Set();
            waiter.JoinAndRethrow();
            flag.Clear();
            trace = recorder.Stop();
        }

        var mine = EventsOf(trace, flag.ObjectId, me);
        mine.Select(e => e.Kind).Should().Equal(TraceEventKind.EventSet, TraceEventKind.EventCleared);
        mine[0].Value.Should().Be(1, "one thread was waiting");
        var waits = EventsOf(trace, flag.ObjectId, waiter.ManagedThreadId);
        waits.Select(e => (e.Kind, e.WaitKind)).Should().Equal(
            (TraceEventKind.WaitBegan, WaitKind.Event), (TraceEventKind.WaitEnded, WaitKind.Event));
        waits[1].Outcome.Should().Be(WaitOutcome.Satisfied);
        waits[1].RelatedThreadId.Should().Be(me);
    }

    [Fact]
    public void a_condition_records_the_notification_the_wait_and_the_locks_release_and_restore()
    {
        var condition = new TracedCondition(name: "cv");
        var me = Environment.CurrentManagedThreadId;
        Trace trace;
        TestThread notifier;
        using (var recorder = TraceRecorder.Start("condition"))
        {
            condition.Acquire();
            condition.Acquire();
            notifier = TestThread.Start("notifier", () =>
            {
                Eventually.True(() => condition.WaiterCount == 1, "the owner waits");
                using (condition.Hold())
                {
                    condition.Notify();
                }
            });
            condition.Wait(TestThread.JoinTimeout).Should().BeTrue();
            condition.Release();
            condition.Release();
            notifier.JoinAndRethrow();
            trace = recorder.Stop();
        }

        var waits = EventsOf(trace, condition.ObjectId, me);
        waits.Select(e => e.Kind).Should().Equal(TraceEventKind.WaitBegan, TraceEventKind.WaitEnded);
        waits.Should().OnlyContain(e => e.WaitKind == WaitKind.Condition);
        waits[1].RelatedThreadId.Should().Be(notifier.ManagedThreadId);
        var notified = EventsOf(trace, condition.ObjectId, notifier.ManagedThreadId).Should().ContainSingle().Subject;
        notified.Kind.Should().Be(TraceEventKind.Notified);
        notified.Value.Should().Be(1);
        var lockEvents = EventsOf(trace, condition.Lock.ObjectId, me)
            .Where(e => e.Kind is TraceEventKind.Acquired or TraceEventKind.Released)
            .Select(e => (e.Kind, e.Value));
        lockEvents.Should().Equal(
            (TraceEventKind.Acquired, 1L),
            (TraceEventKind.Acquired, 2L),
            (TraceEventKind.Released, 0L),
            (TraceEventKind.Acquired, 2L),
            (TraceEventKind.Released, 1L),
            (TraceEventKind.Released, 0L));
    }

    [Fact]
    public void a_semaphore_records_the_count_left_after_each_acquire_and_release()
    {
        var semaphore = new TracedSemaphore(2, maxCount: 2, name: "counted");
        Trace trace;
        using (var recorder = TraceRecorder.Start("semaphore"))
        {
            semaphore.Acquire();
            semaphore.Acquire();
            semaphore.Release();
            semaphore.Release();
            trace = recorder.Stop();
        }

        EventsOf(trace, semaphore.ObjectId).Select(e => (e.Kind, e.Value)).Should().Equal(
            (TraceEventKind.Acquired, 1L),
            (TraceEventKind.Acquired, 0L),
            (TraceEventKind.Released, 1L),
            (TraceEventKind.Released, 2L));
    }

    [Fact]
    public void a_suspected_deadlock_records_its_summary_and_the_wait_ends_timed_out()
    {
        var plainLock = new TracedLock("self");
        Trace trace;
        TestThread thread;
        using (var recorder = TraceRecorder.Start("suspected deadlock"))
        {
            thread = TestThread.Start("looper", () =>
            {
                using (plainLock.Hold())
                {
                    plainLock.Acquire(TimeSpan.FromSeconds(2));
                }
            });
            thread.JoinAndRethrow();
            trace = recorder.Stop();
        }

        var deadlock = trace.Events.Should().ContainSingle(e => e.Kind == TraceEventKind.Deadlock).Subject;
        deadlock.Label.Should().StartWith("Suspected deadlock: ").And.Contain("looper");
        deadlock.ObjectId.Should().Be(plainLock.ObjectId);
        EventsOf(trace, plainLock.ObjectId, thread.ManagedThreadId)
            .Should().ContainSingle(e => e.Kind == TraceEventKind.WaitEnded)
            .Which.Outcome.Should().Be(WaitOutcome.TimedOut);
    }

    [Fact]
    public void a_definite_deadlock_records_its_summary_and_waits_that_ended_deadlocked()
    {
        var lockA = new TracedRLock("traced-A");
        var lockB = new TracedRLock("traced-B");
        using var bothHoldOne = new Barrier(2);
        Trace trace;
        TestThread first;
        TestThread second;
        using (var recorder = TraceRecorder.Start("deadlock"))
        {
            first = TestThread.Start("cycle-1", () => TakeBoth(lockA, lockB, bothHoldOne));
            second = TestThread.Start("cycle-2", () => TakeBoth(lockB, lockA, bothHoldOne));
            TestThread.JoinAll(first, second);
            trace = recorder.Stop();
        }

        var report = first.Exception.Should().BeOfType<DeadlockException>().Which.Report;
        var deadlock = trace.Events.Should().ContainSingle(e => e.Kind == TraceEventKind.Deadlock).Subject;
        deadlock.Label.Should().Be(report.Summary).And.StartWith("Deadlock: ");
        EventsOf(trace, lockB.ObjectId, first.ManagedThreadId)
            .Should().ContainSingle(e => e.Kind == TraceEventKind.WaitEnded)
            .Which.Outcome.Should().Be(WaitOutcome.Deadlocked);
    }

    private static void TakeBoth(TracedRLock first, TracedRLock second, Barrier bothHoldOne)
    {
        using (first.Hold())
        {
            bothHoldOne.SignalAndWait(TestThread.JoinTimeout);
            using (second.Hold())
            {
            }
        }
    }

    private static List<TraceEvent> EventsOf(Trace trace, int objectId, int? threadId = null) =>
        trace.Events
            .Where(e => e.ObjectId == objectId && e.Kind != TraceEventKind.Deadlock && (threadId is null || e.ThreadId == threadId))
            .ToList();
}
