using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class ThreadSummaryTests
{
    [Fact]
    public void an_unstarted_thread_is_not_alive_and_knows_its_flags()
    {
        var thread = new Thread(() => { }) { Name = "not-yet", IsBackground = true };

        var summary = ThreadSummary.Of(thread);

        summary.State.Should().Be(ThreadState.Unstarted | ThreadState.Background);
        summary.IsAlive.Should().BeFalse();
        summary.IsBackground.Should().BeTrue();
        summary.Priority.Should().Be(ThreadPriority.Normal);
        summary.ToText().Should().Contain("not-yet").And.Contain("Unstarted");
    }

    [Fact]
    public void an_ended_thread_says_what_it_can_no_longer_tell()
    {
        var thread = new Thread(() => { }) { Name = "done" };
        thread.Start();
        thread.Join();

        var summary = ThreadSummary.Of(thread);

        summary.IsAlive.Should().BeFalse();
        summary.State.Should().Be(ThreadState.Stopped);
        summary.IsBackground.Should().BeNull();
        summary.IsThreadPoolThread.Should().BeNull();
        summary.Priority.Should().BeNull();
        summary.ToText().Should().Contain("n/a (thread ended)");
        summary.ToHtml().Should().Contain("n/a (thread ended)");
    }

    [Fact]
    public void a_running_thread_is_alive_and_not_the_caller()
    {
        using var release = new ManualResetEventSlim();
        var thread = new Thread(() => release.Wait()) { Name = "running" };
        thread.Start();
        try
        {
            var summary = ThreadSummary.Of(thread);

            summary.IsAlive.Should().BeTrue();
            summary.IsCallingThread.Should().BeFalse();
            summary.IsBackground.Should().BeFalse();
        }
        finally
        {
            release.Set();
            thread.Join();
        }
    }

    [Fact]
    public void the_calling_thread_is_marked_as_such()
    {
        var summary = ThreadSummary.Of(Thread.CurrentThread);

        summary.IsCallingThread.Should().BeTrue();
        summary.ManagedThreadId.Should().Be(Environment.CurrentManagedThreadId);
        summary.ToText().Should().Contain("(the calling thread)");
    }

    [Fact]
    public void an_unnamed_thread_is_labelled_and_names_are_escaped_in_html()
    {
        ThreadSummary.Of(new Thread(() => { })).ToText().Should().Contain("(unnamed)");
        ThreadSummary.Of(new Thread(() => { }) { Name = "<img>" }).ToHtml().Should().Contain("&lt;img&gt;").And.NotContain("<img>");
    }

    [Fact]
    public void both_renderings_stay_under_two_kilobytes()
    {
        var summary = ThreadSummary.Of(new Thread(() => { }) { Name = new string('n', 200) });

        System.Text.Encoding.UTF8.GetByteCount(summary.ToHtml()).Should().BeLessThan(2048);
        System.Text.Encoding.UTF8.GetByteCount(summary.ToText()).Should().BeLessThan(2048);
    }
}
