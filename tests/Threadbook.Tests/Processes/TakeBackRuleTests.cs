using Threadbook.Processes;
using Threadbook.Processes.Pool;

namespace Threadbook.Tests.Processes;

/// <summary>
/// When a pool takes back tasks waiting behind a long one (<see cref="TakeBackRule"/>): decided from a copy of what
/// each worker holds, so no process is needed.
/// </summary>
public sealed class TakeBackRuleTests
{
    private const long Now = 1_000_000_000;
    private static readonly long Long = TakeBackRule.LongTaskTicks;

    private static WorkerLoad Busy(int tasksSent, long? runningSince, bool revokeSent = false) =>
        new(Connected: true, ExitSent: false, RevokeSent: revokeSent, TasksSent: tasksSent, RunningSince: runningSince);

    private static readonly WorkerLoad Idle = new(Connected: true, ExitSent: false, RevokeSent: false, TasksSent: 0, RunningSince: null);

    [Fact]
    public void pool_gives_back_tasks_behind_a_long_one()
    {
        TakeBackRule.Decide(Busy(3, Now - Long), Now).Should().Be(TakeBackStep.Revoke);
        TakeBackRule.Decide(Busy(2, Now - 5 * Long), Now).Should().Be(TakeBackStep.Revoke);
    }

    [Fact]
    public void a_task_not_long_yet_is_looked_at_again_when_it_would_be()
    {
        TakeBackRule.Decide(Busy(3, Now - Long / 4), Now).Should().Be(TakeBackStep.LookAgainIn(Long - Long / 4));
    }

    [Fact]
    public void a_task_whose_start_is_not_reported_yet_is_looked_at_again_a_full_long_task_later()
    {
        TakeBackRule.Decide(Busy(2, runningSince: null), Now).Should().Be(TakeBackStep.LookAgainIn(Long));
    }

    [Fact]
    public void nothing_is_taken_back_when_nothing_waits_behind_the_running_task()
    {
        TakeBackRule.Decide(Busy(1, Now - 10 * Long), Now).Should().Be(TakeBackStep.Nothing);
        TakeBackRule.Decide(Idle, Now).Should().Be(TakeBackStep.Nothing);
    }

    [Fact]
    public void a_worker_already_asked_is_not_asked_again()
    {
        TakeBackRule.Decide(Busy(3, Now - 10 * Long, revokeSent: true), Now).Should().Be(TakeBackStep.Nothing);
    }

    [Theory]
    [InlineData(ProcessPoolState.Running, 0, true, true)]
    [InlineData(ProcessPoolState.Closed, 0, true, true)]
    [InlineData(ProcessPoolState.Running, 1, true, false)] // a queued task goes to the idle worker anyway
    [InlineData(ProcessPoolState.Running, 0, false, false)] // no worker would take the tasks back
    [InlineData(ProcessPoolState.Terminated, 0, true, false)]
    public void the_pool_looks_only_when_nothing_is_queued_and_a_worker_is_idle(ProcessPoolState state, int queued, bool anyIdle, bool looks)
    {
        TakeBackRule.IsWorthLooking(state, queued, anyIdle).Should().Be(looks);
    }

    [Fact]
    public void a_worker_is_idle_when_it_is_connected_may_take_tasks_and_has_none()
    {
        TakeBackRule.IsIdle(Idle).Should().BeTrue();
        TakeBackRule.IsIdle(Idle with { Connected = false }).Should().BeFalse("it has not connected back yet");
        TakeBackRule.IsIdle(Idle with { ExitSent = true }).Should().BeFalse("it was told to exit");
        TakeBackRule.IsIdle(Busy(1, Now)).Should().BeFalse();
    }

    [Fact]
    public void an_idle_worker_of_a_closed_pool_stays_while_tasks_wait_behind_a_long_one()
    {
        TakeBackRule.ShouldExit(ProcessPoolState.Closed, 0, tasksWaitBehindAnywhere: true, Idle).Should().BeFalse("it may get them yet");
        TakeBackRule.ShouldExit(ProcessPoolState.Closed, 0, tasksWaitBehindAnywhere: false, Idle).Should().BeTrue();
        TakeBackRule.ShouldExit(ProcessPoolState.Closed, 1, tasksWaitBehindAnywhere: false, Idle).Should().BeFalse("a task is queued for it");
        TakeBackRule.ShouldExit(ProcessPoolState.Running, 0, tasksWaitBehindAnywhere: false, Idle).Should().BeFalse();
        TakeBackRule.ShouldExit(ProcessPoolState.Closed, 0, tasksWaitBehindAnywhere: false, Idle with { ExitSent = true }).Should().BeFalse("it was told once");
    }

    [Fact]
    public void tasks_wait_behind_while_a_worker_holds_two_or_its_revoke_is_unanswered()
    {
        TakeBackRule.HoldsTasksBehind(Busy(2, Now)).Should().BeTrue();
        TakeBackRule.HoldsTasksBehind(Busy(1, Now)).Should().BeFalse();
        TakeBackRule.HoldsTasksBehind(Busy(1, Now, revokeSent: true)).Should().BeTrue("the tasks it gives back are on their way");
    }
}
