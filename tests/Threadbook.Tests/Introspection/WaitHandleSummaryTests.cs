using Threadbook.Introspection;
using Threadbook.Tests.Threading;

namespace Threadbook.Tests.Introspection;

public class WaitHandleSummaryTests
{
    [Fact]
    public void a_mutex_says_its_owner_is_not_exposed_and_is_not_acquired_by_the_summary()
    {
        using var mutex = new Mutex();

        WaitHandleSummary.Of(mutex).ShouldShowInBoth("Mutex", "open", "owner", "not exposed by .NET", "WaitOne(0) would acquire it");

        var acquiredElsewhere = false;
        var other = TestThread.Start("other", () =>
        {
            acquiredElsewhere = mutex.WaitOne(0);
            if (acquiredElsewhere)
            {
                mutex.ReleaseMutex();
            }
        });
        other.JoinAndRethrow();
        acquiredElsewhere.Should().BeTrue("the summary did not take the mutex");
    }

    [Fact]
    public void a_semaphore_says_its_count_is_not_exposed_and_keeps_its_slot()
    {
        using var semaphore = new Semaphore(1, 1);

        WaitHandleSummary.Of(semaphore).ShouldShowInBoth("Semaphore", "current count", "WaitOne(0) would take a slot");

        semaphore.WaitOne(0).Should().BeTrue("the summary did not take the only slot");
    }

    [Theory]
    [InlineData(true, "yes")]
    [InlineData(false, "no")]
    public void a_manual_reset_event_shows_whether_it_is_set_and_stays_so(bool initiallySet, string shown)
    {
        using var signal = new ManualResetEvent(initiallySet);

        var summary = WaitHandleSummary.Of(signal);

        summary.IsSet.Should().Be(initiallySet);
        summary.ShouldShowInBoth("ManualResetEvent", "WaitOne(0), which leaves a manual-reset event as it is");
        summary.ShouldHaveFact("set", shown);
        signal.WaitOne(0).Should().Be(initiallySet);
    }

    [Fact]
    public void an_auto_reset_event_is_not_probed_because_that_would_reset_it()
    {
        using var signal = new AutoResetEvent(true);

        var summary = WaitHandleSummary.Of(signal);

        summary.IsSet.Should().BeNull();
        summary.ShouldShowInBoth("AutoResetEvent", "WaitOne(0) would reset it");
        signal.WaitOne(0).Should().BeTrue("the summary left the event set");
    }

    [Fact]
    public void a_plain_event_wait_handle_says_its_reset_mode_is_not_exposed()
    {
        using var signal = new EventWaitHandle(true, EventResetMode.AutoReset);

        WaitHandleSummary.Of(signal).ShouldShowInBoth("EventWaitHandle", "reset mode");
        signal.WaitOne(0).Should().BeTrue();
    }

    [Fact]
    public void disposed_wait_handles_of_every_kind_render_as_closed()
    {
        WaitHandle[] handles = [new Mutex(), new Semaphore(1, 1), new ManualResetEvent(true), new AutoResetEvent(false), new EventWaitHandle(false, EventResetMode.ManualReset)];
        foreach (var handle in handles)
        {
            handle.Dispose();

            WaitHandleSummary.Of(handle).ShouldShowInBoth("closed (disposed)");
        }

        WaitHandleSummary.Of(handles[2]).ShouldHaveFact("set", "unknown (disposed)");
    }
}
