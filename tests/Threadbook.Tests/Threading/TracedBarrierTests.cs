using Threadbook.Threading;
using Threadbook.Tracing;
using Threadbook.Tracing.Timeline;

namespace Threadbook.Tests.Threading;

public class TracedBarrierTests
{
    [Fact]
    public void a_barrier_needs_at_least_one_party()
    {
        var none = () => new TracedBarrier(0);
        var negative = () => new TracedBarrier(-1);

        none.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("parties").WithMessage("parties must be >= 1*");
        negative.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("parties");
    }

    [Fact]
    public void a_negative_timeout_is_rejected_by_name()
    {
        var badDefault = () => new TracedBarrier(2, timeout: TimeSpan.FromSeconds(-1));
        var barrier = new TracedBarrier(2);
        var badWait = () => barrier.Wait(TimeSpan.FromSeconds(-1));

        badDefault.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout");
        badWait.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("timeout");
        barrier.IsBroken.Should().BeFalse("a rejected call never reached the barrier");
    }

    [Fact]
    public void a_barrier_of_one_lets_its_thread_through_every_time_with_index_zero()
    {
        var barrier = new TracedBarrier(1);

        barrier.Wait().Should().Be(0);
        barrier.Wait().Should().Be(0);
        barrier.WaitingCount.Should().Be(0);
    }

    [Fact]
    public void three_threads_pass_together_and_each_gets_a_different_arrival_index()
    {
        var barrier = new TracedBarrier(3, name: "meet");
        var indexes = new int[3];
        var first = TestThread.Start("first", () => indexes[0] = barrier.Wait());
        var second = TestThread.Start("second", () => indexes[1] = barrier.Wait());
        Eventually.True(() => barrier.WaitingCount == 2, "two threads wait at the barrier");
        barrier.Waiters.Select(t => t.ManagedThreadId).Should().BeEquivalentTo([first.ManagedThreadId, second.ManagedThreadId]);
        first.Thread.IsAlive.Should().BeTrue("nobody passes before the third party arrives");

        indexes[2] = barrier.Wait();

        TestThread.JoinAll(first, second);
        first.JoinAndRethrow();
        second.JoinAndRethrow();
        indexes.Should().BeEquivalentTo([0, 1, 2]);
        indexes[2].Should().Be(2, "the main thread arrived last");
        barrier.WaitingCount.Should().Be(0);
        barrier.IsBroken.Should().BeFalse();
    }

    [Fact]
    public void the_action_runs_once_on_the_last_arrival_before_any_thread_is_released()
    {
        var passed = 0;
        var actionRuns = 0;
        var passedWhenActionRan = -1;
        var actionThread = 0;
        var barrier = new TracedBarrier(3, action: () =>
        {
            actionRuns++;
            passedWhenActionRan = Volatile.Read(ref passed);
            actionThread = Environment.CurrentManagedThreadId;
        });
        var indexOf = new Dictionary<int, int>();
        var threads = Enumerable.Range(0, 3).Select(i => TestThread.Start($"party-{i}", () =>
        {
            var index = barrier.Wait(TestThread.JoinTimeout);
            lock (indexOf)
            {
                indexOf[Environment.CurrentManagedThreadId] = index;
            }

            Interlocked.Increment(ref passed);
        })).ToArray();

        TestThread.JoinAll(threads);
        foreach (var thread in threads)
        {
            thread.JoinAndRethrow();
        }

        actionRuns.Should().Be(1);
        passedWhenActionRan.Should().Be(0);
        indexOf[actionThread].Should().Be(2, "the action runs on the last thread to arrive");
    }

    [Fact]
    public void an_action_that_throws_breaks_the_barrier_its_exception_reaches_the_last_thread_and_the_others_get_the_broken_error()
    {
        var barrier = new TracedBarrier(2, action: () => throw new InvalidOperationException("action failed"));
        var waiter = TestThread.Start("waiter", () => barrier.Wait(TestThread.JoinTimeout));
        Eventually.True(() => barrier.WaitingCount == 1, "the waiter waits");

        var last = () => barrier.Wait();

        last.Should().Throw<InvalidOperationException>().WithMessage("action failed");
        waiter.Join();
        waiter.Exception.Should().BeOfType<BrokenBarrierException>().Which.Message.Should().Contain("its action threw InvalidOperationException");
        barrier.IsBroken.Should().BeTrue();
    }

    [Fact]
    public void barrier_breaks_when_a_waiter_times_out()
    {
        var barrier = new TracedBarrier(2, name: "meet");

        var wait = () => barrier.Wait(TimeSpan.FromMilliseconds(50));

        wait.Should().Throw<BrokenBarrierException>().WithMessage("Barrier 'meet' is broken: *timed out*");
        barrier.IsBroken.Should().BeTrue();
        barrier.WaitingCount.Should().Be(0);
        var later = () => barrier.Wait(TestThread.JoinTimeout);
        later.Should().Throw<BrokenBarrierException>("a broken barrier stays broken until reset").WithMessage("*Reset() makes it usable again*");
    }

    [Fact]
    public void a_timeout_sends_every_other_waiter_away_with_the_broken_error()
    {
        var barrier = new TracedBarrier(3);
        var patient = TestThread.Start("patient", () => barrier.Wait(TestThread.JoinTimeout));
        Eventually.True(() => barrier.WaitingCount == 1, "the patient thread waits");

        var impatient = () => barrier.Wait(TimeSpan.FromMilliseconds(50));

        impatient.Should().Throw<BrokenBarrierException>();
        patient.Join();
        patient.Exception.Should().BeOfType<BrokenBarrierException>();
    }

    [Fact]
    public void wait_without_a_timeout_uses_the_barriers_default_timeout()
    {
        var barrier = new TracedBarrier(2, timeout: TimeSpan.FromMilliseconds(100));

        barrier.DefaultTimeout.Should().Be(TimeSpan.FromMilliseconds(100));
        var wait = () => barrier.Wait();
        wait.Should().Throw<BrokenBarrierException>();
        barrier.IsBroken.Should().BeTrue();
    }

    [Fact]
    public void abort_breaks_the_barrier_for_waiters_and_later_arrivals_until_reset()
    {
        var barrier = new TracedBarrier(2, name: "gate");
        var waiter = TestThread.Start("waiter", () => barrier.Wait(TestThread.JoinTimeout));
        Eventually.True(() => barrier.WaitingCount == 1, "the waiter waits");

        barrier.Abort();

        waiter.Join();
        waiter.Exception.Should().BeOfType<BrokenBarrierException>().Which.Message.Should().Contain("aborted by");
        barrier.IsBroken.Should().BeTrue();
        var later = () => barrier.Wait(TestThread.JoinTimeout);
        later.Should().Throw<BrokenBarrierException>();

        barrier.Reset();

        barrier.IsBroken.Should().BeFalse();
        var again = TestThread.Start("again", () => barrier.Wait(TestThread.JoinTimeout));
        barrier.Wait(TestThread.JoinTimeout).Should().BeInRange(0, 1);
        again.JoinAndRethrow();
    }

    [Fact]
    public void reset_sends_waiters_away_broken_and_the_barrier_is_usable_again()
    {
        var barrier = new TracedBarrier(3);
        var waiters = Enumerable.Range(0, 2).Select(i => TestThread.Start($"waiter-{i}", () => barrier.Wait(TestThread.JoinTimeout))).ToArray();
        Eventually.True(() => barrier.WaitingCount == 2, "two threads wait");

        barrier.Reset();

        TestThread.JoinAll(waiters);
        waiters.Should().AllSatisfy(waiter => waiter.Exception.Should().BeOfType<BrokenBarrierException>().Which.Message.Should().Contain("reset by"));
        barrier.IsBroken.Should().BeFalse("a reset leaves the barrier usable, unlike an abort");
        barrier.WaitingCount.Should().Be(0);
        var round = Enumerable.Range(0, 2).Select(i => TestThread.Start($"next-{i}", () => barrier.Wait(TestThread.JoinTimeout))).ToArray();
        barrier.Wait(TestThread.JoinTimeout);
        TestThread.JoinAll(round);
        round.Should().AllSatisfy(thread => thread.Exception.Should().BeNull());
    }

    [Fact]
    public void the_barrier_is_cyclic_and_rounds_never_mix()
    {
        const int Parties = 3;
        const int Rounds = 25;
        var barrier = new TracedBarrier(Parties);
        var arrived = 0;
        var problems = new List<string>();
        var threads = Enumerable.Range(0, Parties).Select(i => TestThread.Start($"party-{i}", () =>
        {
            for (var round = 0; round < Rounds; round++)
            {
                Interlocked.Increment(ref arrived);
                barrier.Wait(TestThread.JoinTimeout);
                var seen = Volatile.Read(ref arrived);
                if (seen < (round + 1) * Parties)
                {
                    lock (problems)
                    {
                        problems.Add($"round {round}: passed with only {seen} arrivals");
                    }
                }

                // A second meeting so that no thread starts the next round's arrival before all have checked this one.
                barrier.Wait(TestThread.JoinTimeout);
            }
        })).ToArray();

        TestThread.JoinAll(threads);
        threads.Should().AllSatisfy(thread => thread.Exception.Should().BeNull());
        problems.Should().BeEmpty();
        arrived.Should().Be(Parties * Rounds);
    }

    [Fact]
    public void using_the_barrier_from_its_own_action_is_refused_rather_than_deadlocking()
    {
        TracedBarrier? barrier = null;
        barrier = new TracedBarrier(1, action: () => barrier!.Wait());

        var wait = () => barrier.Wait();

        wait.Should().Throw<InvalidOperationException>().WithMessage("*from inside its own action*");
        barrier.IsBroken.Should().BeTrue("the action threw");
    }

    [Fact]
    public void the_barrier_shows_its_parties_how_many_wait_and_when_it_is_broken()
    {
        var barrier = new TracedBarrier(3, name: "meet");
        var waiter = TestThread.Start("waiter", () => barrier.Wait(TestThread.JoinTimeout));
        Eventually.True(() => barrier.WaitingCount == 1, "one thread waits");

        barrier.ToText().Should().Contain("meet").And.Contain("Barrier").And.Contain("1/3 waiting").And.Contain("waiter");
        barrier.ToHtml().Should().StartWith("<table>").And.Contain("<td>Barrier</td>").And.Contain("1/3 waiting");
        barrier.ToString().Should().Be("Barrier 'meet': 1/3 waiting");

        barrier.Abort();
        waiter.Join();
        barrier.ToText().Should().Contain("broken (3 parties)");
    }

    [Fact]
    public void a_barrier_wait_is_on_the_timeline_and_the_last_arrival_wakes_the_waiters()
    {
        var barrier = new TracedBarrier(3, name: "meet");
        var me = Environment.CurrentManagedThreadId;
        Trace trace;
        TestThread[] waiters;
        using (var recorder = TraceRecorder.Start("barrier"))
        {
            waiters = Enumerable.Range(0, 2).Select(i => TestThread.Start($"worker-{i}", () => barrier.Wait(TestThread.JoinTimeout))).ToArray();
            Eventually.True(() => barrier.WaitingCount == 2, "two workers wait");
            barrier.Wait();
            TestThread.JoinAll(waiters);
            trace = recorder.Stop();
        }

        TraceRecorder.FindObject(barrier.ObjectId)!.Kind.Should().Be("Barrier");
        trace.Events.Where(e => e.ObjectId == barrier.ObjectId && e.ThreadId == me).Should().ContainSingle()
            .Which.Should().Match<TraceEvent>(e => e.Kind == TraceEventKind.BarrierPassed && e.Value == 3);
        foreach (var waiter in waiters)
        {
            var ends = trace.Events.Where(e => e.ObjectId == barrier.ObjectId && e.ThreadId == waiter.ManagedThreadId).ToList();
            ends.Select(e => (e.Kind, e.WaitKind)).Should().Equal(
                (TraceEventKind.WaitBegan, WaitKind.Barrier), (TraceEventKind.WaitEnded, WaitKind.Barrier));
            ends[1].Outcome.Should().Be(WaitOutcome.Satisfied);
            ends[1].RelatedThreadId.Should().Be(me, "the last arrival let them go");
        }

        var layout = TimelineLayout.Of(trace);
        var wait = layout.Lanes.SelectMany(lane => lane.Waits).First(w => w.ObjectId == barrier.ObjectId);
        layout.WhatFor(wait).Should().Be("waiting for 'meet' (Barrier)");
        var wakes = layout.Wakes.Where(w => w.Wait.ObjectId == barrier.ObjectId).ToList();
        wakes.Should().HaveCount(2);
        wakes.Should().AllSatisfy(wake => wake.Action.Should().Be(TraceEventKind.BarrierPassed));
        layout.Describe(wakes[0]).Should().Contain("arrived last at 'meet' (Barrier)");
    }

    [Fact]
    public void a_broken_barrier_is_on_the_timeline_with_the_timed_out_wait_and_the_waits_it_broke()
    {
        var barrier = new TracedBarrier(3, name: "meet");
        Trace trace;
        TestThread patient;
        using (var recorder = TraceRecorder.Start("broken barrier"))
        {
            patient = TestThread.Start("patient", () => barrier.Wait(TestThread.JoinTimeout));
            Eventually.True(() => barrier.WaitingCount == 1, "the patient thread waits");
            var impatient = () => barrier.Wait(TimeSpan.FromMilliseconds(50));
            impatient.Should().Throw<BrokenBarrierException>();
            patient.Join();
            trace = recorder.Stop();
        }

        var me = Environment.CurrentManagedThreadId;
        var mine = trace.Events.Where(e => e.ObjectId == barrier.ObjectId && e.ThreadId == me).ToList();
        mine.Select(e => e.Kind).Should().Equal(TraceEventKind.WaitBegan, TraceEventKind.BarrierBroken, TraceEventKind.WaitEnded);
        mine[1].Label.Should().Contain("timed out");
        mine[2].Outcome.Should().Be(WaitOutcome.TimedOut);
        var patientEnd = trace.Events.Single(e => e.ObjectId == barrier.ObjectId && e.ThreadId == patient.ManagedThreadId && e.Kind == TraceEventKind.WaitEnded);
        patientEnd.Outcome.Should().Be(WaitOutcome.Broken);
        patientEnd.RelatedThreadId.Should().Be(me);
        var layout = TimelineLayout.Of(trace);
        var brokenWait = layout.Lanes.SelectMany(lane => lane.Waits).Single(w => w.Outcome == WaitOutcome.Broken);
        layout.Describe(brokenWait).Should().Contain("barrier BROKEN by");
        TimelineSvg.Render(trace).Should().Contain("timed out / barrier broken", "the legend explains the crosses at the ends of both waits");
        ChromeTraceJson.Write(trace).Should().Contain("\"barrier broken\"").And.Contain("\"broke meet\"");
    }
}
