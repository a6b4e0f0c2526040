using Threadbook.Tracing;
using Threadbook.Tracing.Timeline;

namespace Threadbook.Tests.Tracing;

public class TimelineLayoutTests
{
    [Fact]
    public void a_lane_runs_from_its_start_to_its_stop_and_its_segments_cover_it_exactly()
    {
        var trace = new SyntheticTrace().Thread(1, "w").Object(1, "m", "Lock")
            .Started(10, 1).Wait(1, 1, WaitKind.Lock, 20, 30).Wait(1, 1, WaitKind.Sleep, 30, 35).Stopped(50, 1)
            .Build(100);

        var lane = TimelineLayout.Of(trace).Lanes.Single();

        lane.Start.Should().Be(SyntheticTrace.Ticks(10));
        lane.End.Should().Be(SyntheticTrace.Ticks(50));
        lane.StillRunningAtEnd.Should().BeFalse();
        lane.Segments.Select(s => s.State).Should().Equal(LaneState.Running, LaneState.Blocked, LaneState.Waiting, LaneState.Running);
        lane.Segments.Sum(s => s.Length).Should().Be(lane.End - lane.Start);
        lane.Segments.Zip(lane.Segments.Skip(1)).Should().OnlyContain(pair => pair.First.End == pair.Second.Begin);
    }

    [Fact]
    public void a_wait_nested_inside_another_is_not_counted_twice_in_the_totals()
    {
        // A traced lock's wait, seen again through the runtime's contention events.
        var trace = new SyntheticTrace().Thread(1, "w").Object(1, "traced", "Lock")
            .At(10, TraceEventKind.WaitBegan, 1, obj: 1, waitKind: WaitKind.Lock)
            .At(12, TraceEventKind.WaitBegan, 1, waitKind: WaitKind.RuntimeLock)
            .At(18, TraceEventKind.WaitEnded, 1, waitKind: WaitKind.RuntimeLock, outcome: WaitOutcome.Satisfied)
            .At(20, TraceEventKind.WaitEnded, 1, obj: 1, waitKind: WaitKind.Lock, outcome: WaitOutcome.Satisfied)
            .Build(100);

        var layout = TimelineLayout.Of(trace);
        var activity = layout.ActivityOf(layout.Lanes.Single());

        activity.Waits.Should().Be(2);
        activity.Blocked.TotalMilliseconds.Should().BeApproximately(10, 0.001);
        activity.Running.TotalMilliseconds.Should().BeApproximately(90, 0.001);
    }

    [Fact]
    public void a_wake_arrow_starts_at_the_wakers_latest_action_on_that_object_before_the_wake_up()
    {
        var trace = new SyntheticTrace().Thread(1, "waiter").Thread(2, "setter").Object(1, "go", "Event").Object(2, "other", "Event")
            .Wait(1, 1, WaitKind.Event, 10, 40, wokenBy: 2)
            .At(20, TraceEventKind.EventSet, 2, obj: 1)
            .At(30, TraceEventKind.EventSet, 2, obj: 1)
            .At(35, TraceEventKind.EventSet, 2, obj: 2)
            .At(45, TraceEventKind.EventSet, 2, obj: 1)
            .Build(100);

        var wake = TimelineLayout.Of(trace).Wakes.Should().ContainSingle().Subject;

        (wake.FromLane, wake.ToLane).Should().Be((1, 0));
        wake.FromTimestamp.Should().Be(SyntheticTrace.Ticks(30));
        wake.Action.Should().Be(TraceEventKind.EventSet);
        wake.ToTimestamp.Should().Be(SyntheticTrace.Ticks(40));
    }

    [Fact]
    public void a_release_from_before_the_wait_began_is_not_taken_for_the_wake_up()
    {
        // The waker recorded its release after the woken thread recorded its wake-up: the only earlier release
        // belongs to a previous round, so the arrow falls back to the wake-up time.
        var trace = new SyntheticTrace().Thread(1, "waiter").Thread(2, "holder").Object(1, "m", "Lock")
            .At(5, TraceEventKind.Released, 2, obj: 1)
            .Wait(1, 1, WaitKind.Lock, 10, 40, wokenBy: 2)
            .At(40.01, TraceEventKind.Released, 2, obj: 1)
            .Build(100);

        var wake = TimelineLayout.Of(trace).Wakes.Should().ContainSingle().Subject;

        wake.FromTimestamp.Should().Be(SyntheticTrace.Ticks(40));
        wake.Action.Should().BeNull();
    }

    [Fact]
    public void timeouts_and_waits_woken_by_unknown_threads_draw_no_arrow()
    {
        var trace = new SyntheticTrace().Thread(1, "waiter").Object(1, "m", "Lock")
            .Wait(1, 1, WaitKind.Lock, 10, 20, WaitOutcome.TimedOut, wokenBy: 2)
            .Wait(1, 1, WaitKind.Lock, 30, 40, wokenBy: 99)
            .Build(100);

        TimelineLayout.Of(trace).Wakes.Should().BeEmpty();
    }

    [Fact]
    public void when_lanes_must_be_cut_the_deadlocked_and_busiest_stay_in_their_order()
    {
        var builder = new SyntheticTrace();
        for (var t = 1; t <= 6; t++)
        {
            builder.Thread(t, $"t{t}");
            for (var i = 0; i < t; i++)
            {
                builder.At(i, TraceEventKind.Mark, t, label: "m");
            }
        }

        builder.At(50, TraceEventKind.Deadlock, 1, label: "cycle");

        TimelineLayout.Of(builder.Build(100)).LanesWorthShowing(3).Should().Equal(0, 4, 5);
    }
}
