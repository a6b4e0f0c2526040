using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class ProcessThreadsSnapshotTests
{
    [Fact]
    public void snapshot_lists_a_named_thread_that_is_blocked_right_now()
    {
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        var probe = new Thread(() =>
        {
            started.Set();
            release.Wait();
        }) { Name = "tb-probe-thread", IsBackground = true };
        probe.Start();
        try
        {
            started.Wait();
            Thread.Sleep(50); // let it reach the blocking wait

            var snapshot = ProcessThreadsSnapshot.Capture();

            snapshot.ProcessId.Should().Be(Environment.ProcessId);
            // Linux keeps 15 characters of a thread name.
            const string osName = "tb-probe-thread";
            var row = snapshot.Threads.Should().ContainSingle(t => t.Name == osName).Subject;
            row.State.Should().Be("sleeping");
            row.IsCallingThread.Should().BeFalse();
        }
        finally
        {
            release.Set();
            probe.Join();
        }
    }

    [Fact]
    public void exactly_one_thread_is_marked_as_the_caller()
    {
        var snapshot = ProcessThreadsSnapshot.Capture();

        snapshot.Threads.Should().ContainSingle(t => t.IsCallingThread)
            .Which.State.Should().Be("running");
        snapshot.Source.Should().Be("/proc/self/task");
    }

    [Fact]
    public async Task thread_pool_counters_move_when_work_is_done()
    {
        var before = ProcessThreadsSnapshot.Capture().ThreadPool.CompletedWorkItemCount;
        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => { })));

        // The runtime sums per-thread completion counts when asked; give late increments a moment to show.
        var after = ProcessThreadsSnapshot.Capture();
        for (var i = 0; i < 50 && after.ThreadPool.CompletedWorkItemCount < before + 20; i++)
        {
            await Task.Delay(100);
            after = ProcessThreadsSnapshot.Capture();
        }

        after.ThreadPool.CompletedWorkItemCount.Should().BeGreaterThanOrEqualTo(before + 20);
        after.ThreadPool.ThreadCount.Should().BeGreaterThan(0);
        after.ThreadPool.MaxWorkerThreads.Should().BeGreaterThanOrEqualTo(after.ThreadPool.MinWorkerThreads);
    }

    [Fact]
    public void top_keeps_the_busiest_threads_in_order()
    {
        var snapshot = ProcessThreadsSnapshot.Capture();

        var top = snapshot.Top(2);

        top.Threads.Should().HaveCount(Math.Min(2, snapshot.Threads.Count));
        top.Threads.Should().BeInDescendingOrder(t => t.CpuTime);
        top.Threads[0].CpuTime.Should().Be(snapshot.Threads.Max(t => t.CpuTime));
    }

    [Fact]
    public void top_refuses_zero()
    {
        var act = () => ProcessThreadsSnapshot.Capture().Top(0);

        act.Should().Throw<ArgumentOutOfRangeException>().WithMessage("*at least 1*");
    }

    [Fact]
    public void both_renderings_carry_the_threads_and_the_pool_counters()
    {
        var snapshot = ProcessThreadsSnapshot.Capture();

        foreach (var rendering in new[] { snapshot.ToHtml(), snapshot.ToText() })
        {
            rendering.Should().Contain("this cell").And.Contain("thread pool threads").And.Contain("Monitor contentions");
            foreach (var thread in snapshot.Threads)
            {
                rendering.Should().Contain(thread.OsThreadId.ToString());
            }
        }

        snapshot.ToHtml().Should().StartWith("<div").And.Contain("<table>");
    }
}
