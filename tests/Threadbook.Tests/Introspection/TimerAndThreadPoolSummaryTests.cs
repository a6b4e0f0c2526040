using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class TimerAndThreadPoolSummaryTests
{
    [Fact]
    public void a_timer_says_its_due_time_and_period_are_not_readable_and_renders_when_disposed()
    {
        var timer = new Timer(_ => { }, null, Timeout.Infinite, Timeout.Infinite);
        try
        {
            var summary = TimerSummary.Of(timer);

            summary.ActiveTimersInProcess.Should().BePositive();
            summary.ShouldHaveFact("due time and period", "not exposed by .NET");
            summary.ShouldShowInBoth("Timer.ActiveCount: all timers, not only this one");
        }
        finally
        {
            timer.Dispose();
        }

        TimerSummary.Of(timer).ShouldHaveFact("disposed", "not exposed by .NET");
    }

    [Fact]
    public void a_thread_pool_snapshot_shows_its_counters()
    {
        var counters = new ThreadPoolCounters(ThreadCount: 4, PendingWorkItemCount: 12, CompletedWorkItemCount: 1234, MinWorkerThreads: 2, MaxWorkerThreads: 32767);

        var summary = ThreadPoolSummary.Of(counters);

        summary.ShouldHaveFact("pool threads", "4");
        summary.ShouldHaveFact("work items queued, not started", "12");
        summary.ShouldHaveFact("work items completed (since the process started)", "1,234");
        summary.ShouldHaveFact("worker threads min / max", "2 / 32,767");
        ThreadPoolSummary.Capture().ShouldShowInBoth("Thread pool");
    }
}
