using System.Diagnostics;
using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>Close, Join, Terminate, Dispose and failures: each test has a pool of its own.</summary>
public class ProcessPoolLifecycleTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void join_before_close_is_refused_with_a_clear_message()
    {
        using var pool = new ProcessPool(1);

        var join = () => pool.Join();

        join.Should().Throw<InvalidOperationException>().WithMessage("Pool is still running*Close*Terminate*");
    }

    [Fact]
    public void close_then_join_finishes_every_queued_task_and_the_workers_exit()
    {
        using var pool = new ProcessPool(2);
        var calledBack = 0;
        var results = Enumerable.Range(0, 6)
            .Select(i => pool.ApplyAsync(Jobs.SleepThenReturn, [50 + i], callback: _ => Interlocked.Increment(ref calledBack)))
            .ToList();
        var workers = pool.WorkerProcessIds;

        pool.Close();
        pool.Join(Patience).Should().BeTrue();

        results.Should().AllSatisfy(r => r.Successful.Should().BeTrue());
        calledBack.Should().Be(6, "join waits for the last callback too");
        pool.State.Should().Be(ProcessPoolState.Closed);
        workers.Should().AllSatisfy(pid => Eventually.ProcessIsGone(pid).Should().BeTrue());
    }

    [Fact]
    public void a_joined_pool_of_five_still_shows_all_five_workers_as_exited()
    {
        using var pool = new ProcessPool(5);
        var results = Enumerable.Range(0, 5).Select(i => pool.ApplyAsync(Jobs.SleepThenReturn, [100 + i])).ToList();
        Eventually.True(() => pool.WorkerProcessIds.Count == 5, "all five workers started");
        var workers = pool.WorkerProcessIds;

        pool.Close();
        pool.Join(Patience).Should().BeTrue();

        var shown = pool.Snapshot().Workers;
        shown.Select(w => w.ProcessId).Should().BeEquivalentTo(workers, "a view of the finished pool keeps a row for every worker it had");
        shown.Should().AllSatisfy(w => w.State.Should().Be(PoolWorkerState.Exited));
        shown.Select(w => w.Number).Should().BeInAscendingOrder("the view lists the workers by number, whichever ended first");
    }

    [Fact]
    public void a_closed_pool_refuses_new_tasks_clearly()
    {
        using var pool = new ProcessPool(1);
        pool.Close();

        var apply = () => pool.ApplyAsync(Jobs.Plus, [1]);

        apply.Should().Throw<InvalidOperationException>().WithMessage("Pool not running*closed*");
    }

    [Fact]
    public void terminate_kills_the_workers_at_once_and_fails_unfinished_tasks()
    {
        using var pool = new ProcessPool(2);
        var errorCallbacks = 0;
        var results = Enumerable.Range(0, 4)
            .Select(_ => pool.ApplyAsync(Jobs.SleepThenPid, [30_000], errorCallback: _ => Interlocked.Increment(ref errorCallbacks)))
            .ToList();
        Eventually.True(() => results.Count(r => r.ProcessId is not null) == 2, "both workers run a task");
        var workers = pool.WorkerProcessIds;
        var started = Stopwatch.GetTimestamp();

        pool.Terminate();
        pool.Join(Patience).Should().BeTrue();

        Stopwatch.GetElapsedTime(started).Should().BeLessThan(TimeSpan.FromSeconds(10), "terminate does not wait for the 30 s tasks");
        workers.Should().AllSatisfy(pid => Eventually.ProcessIsGone(pid).Should().BeTrue());
        results.Should().AllSatisfy(r => r.Invoking(x => x.Get()).Should().Throw<PoolTerminatedException>());
        errorCallbacks.Should().Be(0, "as in Python, terminate does not call error callbacks");
        pool.State.Should().Be(ProcessPoolState.Terminated);
        pool.Invoking(p => p.ApplyAsync(Jobs.Plus, [1])).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void a_worker_killed_mid_task_fails_that_task_and_is_replaced()
    {
        using var pool = new ProcessPool(2);
        Exception? reported = null;
        var doomed = pool.ApplyAsync(Jobs.SleepThenPid, [30_000], errorCallback: e => reported = e);
        Eventually.True(() => doomed.ProcessId is not null, "the task started");
        var victim = doomed.ProcessId!.Value;

        Process.GetProcessById(victim).Kill(); // SIGKILL, as kill -9

        var get = () => doomed.Get(Patience);
        var error = get.Should().Throw<WorkerDiedException>().Which;
        error.ProcessId.Should().Be(victim);
        error.Message.Should().Contain($"worker {victim} died while running SleepThenPid(30000)").And.Contain("SIGKILL");
        reported.Should().BeSameAs(error);

        Eventually.True(() => pool.WorkerProcessIds.Count == 2 && !pool.WorkerProcessIds.Contains(victim), "a new worker replaced the killed one");
        pool.Map<int, int>(Jobs.Plus, [1, 2, 3, 4]).Should().Equal(101, 102, 103, 104);
        pool.Snapshot().Failed.Should().Be(1);
    }

    [Fact]
    public void a_snapshot_shows_what_each_worker_runs_and_what_is_queued()
    {
        using var pool = new ProcessPool(2);
        var changes = 0;
        pool.Changed += (_, _) => Interlocked.Increment(ref changes);
        Eventually.True(() => pool.Snapshot().Workers.All(w => w.State == PoolWorkerState.Idle), "both workers are ready");
        var results = new[] { 1500, 1500, 20 }.Select(ms => pool.ApplyAsync(Jobs.SleepThenReturn, [ms])).ToList();
        Eventually.True(() => pool.Snapshot().Workers.Count(w => w.State == PoolWorkerState.Busy) == 2, "both workers are busy");

        var busy = pool.Snapshot();
        busy.Workers.Where(w => w.State == PoolWorkerState.Busy).Select(w => w.CurrentTask).Should().Equal("SleepThenReturn(1500)", "SleepThenReturn(1500)");
        busy.Queued.Should().Be(1);
        busy.Submitted.Should().Be(3);
        busy.Workers.Select(w => w.ProcessId).Should().BeEquivalentTo(pool.WorkerProcessIds);
        pool.ToText().Should().Contain("ProcessPool(2): running · 1 queued").And.Contain("SleepThenReturn(1500)");

        results.ForEach(r => r.Wait(Patience));
        Eventually.True(() => pool.Snapshot().Completed == 3, "the pool counted the three tasks");
        var done = pool.Snapshot();
        done.Queued.Should().Be(0);
        done.Workers.Sum(w => w.TasksDone).Should().Be(3);
        done.Workers.Should().AllSatisfy(w => w.State.Should().Be(PoolWorkerState.Idle));
        changes.Should().BeGreaterThanOrEqualTo(6, "each submission and each finish raised Changed");
    }

    [Fact]
    public void a_callback_that_throws_is_reported_and_later_callbacks_still_run()
    {
        using var pool = new ProcessPool(1);
        var original = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            var bad = pool.ApplyAsync(Jobs.Plus, [1], callback: _ => throw new InvalidOperationException("callback bug"));
            var later = 0;
            var good = pool.ApplyAsync(Jobs.Plus, [2], callback: value => later = (int)value!);

            bad.Get(Patience).Should().Be(101, "the task itself succeeded");
            good.Get(Patience).Should().Be(102);
            later.Should().Be(102);
            captured.ToString().Should().Contain("the callback of Plus(1) threw InvalidOperationException: callback bug");
        }
        finally
        {
            Console.SetError(original);
        }
    }

    [Fact]
    public void a_pool_is_reusable_and_dispose_leaves_no_worker()
    {
        int[] workers;
        using (var pool = new ProcessPool(2))
        {
            pool.Apply(Jobs.Plus, 1).Should().Be(101);
            pool.Map<int, int>(Jobs.Plus, [2, 3]).Should().Equal(102, 103);
            pool.Apply(Jobs.Plus, 4).Should().Be(104);
            workers = [.. pool.WorkerProcessIds];
        }

        workers.Should().HaveCount(2);
        Eventually.True(() => workers.All(Eventually.ProcessIsGone), "the disposed pool's workers exited");
    }

    [Fact]
    public void workers_exit_when_the_parent_is_killed()
    {
        var pidFile = Path.Combine(Path.GetTempPath(), $"threadbook-orphan-test-{Guid.NewGuid():N}");
        using var parent = ChildProcess.Start(Jobs.StartPoolAndWait, pidFile);
        try
        {
            Eventually.True(() => File.Exists(pidFile) || !parent.IsAlive, "the child started its pool", seconds: 30);
            parent.Error.Should().BeNull();
            var poolWorkers = File.ReadAllText(pidFile).Split(',').Select(int.Parse).ToList();
            var everyChild = Eventually.ChildrenOf(parent.Pid!.Value);
            poolWorkers.Should().HaveCount(2);
            everyChild.Should().Contain(poolWorkers, "the pool's workers are the child's own processes");

            parent.Terminate(); // SIGKILL: the parent gets no chance to clean up

            Eventually.True(() => everyChild.All(Eventually.ProcessIsGone), "every worker of the killed parent exited", seconds: 5);
        }
        finally
        {
            File.Delete(pidFile);
        }
    }
}
