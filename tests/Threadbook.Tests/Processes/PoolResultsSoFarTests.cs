using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>The "results so far" of a pool's snapshot and view: the last few finished tasks, bounded.</summary>
public class PoolResultsSoFarTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void a_snapshot_lists_each_finished_task_with_its_worker_its_value_or_error_and_how_long_it_ran()
    {
        using var pool = new ProcessPool(1);
        var worker = pool.WorkerProcessIds.Single();

        pool.Apply(Jobs.Plus, 1).Should().Be(101);
        pool.Apply(Jobs.SleepThenReturn, 50).Should().Be(50);
        var failing = pool.ApplyAsync(Jobs.Throw, ["boom"]);
        failing.Wait(Patience).Should().BeTrue();

        var recent = pool.Snapshot().Recent;
        recent.Select(r => r.Call).Should().Equal("Plus(1)", "SleepThenReturn(50)", "Throw(\"boom\")");
        recent.Select(r => r.TaskNumber).Should().Equal(1, 2, 3);
        recent.Should().AllSatisfy(r => r.ProcessId.Should().Be(worker));
        recent.Select(r => r.Succeeded).Should().Equal(true, true, false);
        recent[0].Outcome.Should().Be("101");
        recent[2].Outcome.Should().Be("InvalidOperationException: boom", "the worker's exception type, not RemoteException");
        recent.Should().AllSatisfy(r => r.Duration.Should().NotBeNull());
        recent[1].Duration.Should().BeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(40), "the worker measured the 50 ms sleep");
    }

    [Fact]
    public void the_view_shows_the_results_so_far_under_the_workers()
    {
        using var pool = new ProcessPool(1);
        pool.Apply(Jobs.Plus, 7);
        pool.ApplyAsync(Jobs.Throw, ["no <b>"]).Wait(Patience);

        var text = pool.ToText();
        var html = pool.ToHtml();

        text.Should().Contain("results so far: 2").And.Contain("Plus(7)").And.Contain("107").And.Contain("✗ InvalidOperationException: no <b>");
        text.IndexOf("results so far", StringComparison.Ordinal).Should().BeGreaterThan(text.IndexOf("ProcessPool(1)", StringComparison.Ordinal));
        html.Should().Contain("results so far: 2").And.Contain("107").And.Contain("no &lt;b&gt;").And.NotContain("no <b>");
    }

    [Fact]
    public void a_pool_with_no_finished_task_shows_no_results_table()
    {
        using var pool = new ProcessPool(1);

        pool.Snapshot().Recent.Should().BeEmpty();
        pool.ToText().Should().NotContain("results so far");
    }

    [Fact]
    public void a_big_map_keeps_only_the_last_few_results()
    {
        using var pool = new ProcessPool(1);

        pool.Map<int, int>(Jobs.Plus, Enumerable.Range(0, 100)).Should().HaveCount(100);

        var snapshot = pool.Snapshot();
        snapshot.Recent.Select(r => r.Call).Should().Equal(Enumerable.Range(100 - ProcessPool.RecentResultsKept, ProcessPool.RecentResultsKept).Select(i => $"Plus({i})"));
        pool.ToText().Should().Contain($"results so far: the last {ProcessPool.RecentResultsKept} of 100");
        pool.ToHtml().Length.Should().BeLessThan(8 * 1024, "a view stays small however many tasks ran");
    }

    [Fact]
    public void terminated_tasks_are_listed_as_failed_and_one_never_started_has_no_worker()
    {
        using var pool = new ProcessPool(1);
        var running = pool.ApplyAsync(Jobs.SleepThenPid, [30_000]);
        var queued = pool.ApplyAsync(Jobs.SleepThenPid, [30_001]);
        Eventually.True(() => running.ProcessId is not null, "the worker started the first task");

        pool.Terminate();
        pool.Join(Patience).Should().BeTrue();

        var recent = pool.Snapshot().Recent;
        recent.Should().HaveCount(2).And.AllSatisfy(r =>
        {
            r.Succeeded.Should().BeFalse();
            r.Outcome.Should().StartWith(nameof(PoolTerminatedException));
        });
        recent.Single(r => r.Call == "SleepThenPid(30000)").ProcessId.Should().Be(running.ProcessId);
        recent.Single(r => r.Call == "SleepThenPid(30001)").Should().Match<PoolFinishedTask>(r => r.ProcessId == null && r.Duration == null);
    }
}
