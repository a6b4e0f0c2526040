using Threadbook.Processes;
using Threadbook.Processes.Wire;

namespace Threadbook.Tests.Processes;

/// <summary>
/// A pool sends short tasks to a worker several at a time; a task that turns out long must not hold back the ones sent
/// behind it while another worker has nothing to do (Python's workers take the next task whenever they are free).
/// </summary>
public sealed class PoolLongTaskTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _release = Path.Combine(Path.GetTempPath(), $"threadbook-long-task-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_release);

    [Fact]
    public void short_tasks_sent_behind_a_long_one_run_on_the_idle_worker_meanwhile()
    {
        // Short tasks go behind the long one only when its worker takes several at a time, which a moment of load
        // (one slow short task) can switch off; each attempt checks the behaviour, and one must have taken tasks back.
        for (var attempt = 1; ; attempt++)
        {
            using var pool = WarmedPool();
            var (blocker, shorts) = SubmitBlockerThenShortTasks(pool);

            shorts.Should().AllSatisfy(s => s.Wait(Patience).Should().BeTrue("no short task waits for the long one"));
            blocker.Ready.Should().BeFalse("the long task is still running: the short ones did not wait for it");
            shorts.Select(s => s.Get()).Should().Equal(Enumerable.Range(0, 12).Select(i => (object)(i + 100)));

            File.WriteAllText(_release, "");
            var blockerPid = (int)blocker.Get(Patience)!;
            shorts.Should().AllSatisfy(s => s.ProcessId.Should().NotBe(blockerPid), "they ran on the other worker");
            File.Delete(_release);
            if (pool.TasksTakenBack > 0)
            {
                return;
            }

            attempt.Should().BeLessThan(5, "in five attempts some short tasks were sent behind the long one and taken back");
        }
    }

    [Fact]
    public void a_closed_pool_keeps_its_idle_worker_for_the_tasks_behind_a_long_one()
    {
        using var pool = WarmedPool();

        var (blocker, shorts) = SubmitBlockerThenShortTasks(pool);
        pool.Close();

        shorts.Should().AllSatisfy(s => s.Wait(Patience).Should().BeTrue("the idle worker did not exit while tasks waited behind the long one"));
        blocker.Ready.Should().BeFalse();

        File.WriteAllText(_release, "");
        pool.Join(Patience).Should().BeTrue();
        shorts.Should().AllSatisfy(s => s.Successful.Should().BeTrue());
        blocker.Successful.Should().BeTrue();
    }

    [Fact]
    public void nothing_is_sent_behind_a_task_known_to_be_long()
    {
        using var pool = WarmedPool();
        var blocker = pool.ApplyAsync(Jobs.WaitForFile, [_release]);
        Eventually.True(() => pool.Snapshot().Workers.Any(w => w.CurrentTask is not null), "the long task started");
        Thread.Sleep(WorkerMessages.LongTask * 2);

        var shorts = Enumerable.Range(0, 12).Select(i => pool.ApplyAsync(Jobs.Plus, [i])).ToList();

        shorts.Should().AllSatisfy(s => s.Wait(Patience).Should().BeTrue());
        blocker.Ready.Should().BeFalse();
        pool.TasksTakenBack.Should().Be(0, "the long task was known to be long, so nothing was sent behind it to take back");
        File.WriteAllText(_release, "");
        blocker.Wait(Patience).Should().BeTrue();
    }

    /// <summary>A pool of two connected workers that both ran short tasks, so both are sent several at a time.</summary>
    private static ProcessPool WarmedPool()
    {
        var pool = new ProcessPool(2);
        Eventually.True(() => pool.Snapshot().Workers.Count(w => w.State == PoolWorkerState.Idle) == 2, "both workers connected");
        pool.Map<int, int>(Jobs.Plus, Enumerable.Range(0, 200)).Should().HaveCount(200);
        pool.Snapshot().Workers.Should().AllSatisfy(w => w.TasksDone.Should().BePositive());
        return pool;
    }

    private (AsyncResult Blocker, List<AsyncResult> Shorts) SubmitBlockerThenShortTasks(ProcessPool pool)
    {
        var blocker = pool.ApplyAsync(Jobs.WaitForFile, [_release]);
        var shorts = Enumerable.Range(0, 12).Select(i => pool.ApplyAsync(Jobs.Plus, [i])).ToList();
        return (blocker, shorts);
    }
}
