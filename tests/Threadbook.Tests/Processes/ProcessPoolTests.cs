using System.Collections.Concurrent;
using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

public class ProcessPoolTests(SharedPool shared) : IClassFixture<SharedPool>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ProcessPool _pool = shared.Pool;

    [Fact]
    public void apply_runs_the_function_in_a_worker_and_returns_its_value()
    {
        _pool.Apply(Jobs.Plus, 1).Should().Be(101);

        var pid = (int)_pool.Apply(Jobs.CurrentPid)!;
        pid.Should().NotBe(Environment.ProcessId);
        _pool.WorkerProcessIds.Should().Contain(pid).And.HaveCount(2);
    }

    [Fact]
    public void apply_async_returns_at_once_and_calls_back_on_the_result_handler_thread()
    {
        var callbackThreads = new ConcurrentBag<int>();
        var values = new ConcurrentBag<object?>();
        var caller = Environment.CurrentManagedThreadId;

        var results = Enumerable.Range(0, 6)
            .Select(i => _pool.ApplyAsync(Jobs.Plus, [i], callback: value =>
            {
                callbackThreads.Add(Environment.CurrentManagedThreadId);
                values.Add(value);
            }))
            .ToList();
        results.ForEach(r => r.Wait(Patience).Should().BeTrue());

        values.Should().BeEquivalentTo(new object[] { 100, 101, 102, 103, 104, 105 });
        callbackThreads.Should().AllSatisfy(id => id.Should().Be(_pool.ResultHandlerThreadId).And.NotBe(caller));
        results.Should().AllSatisfy(r => r.Successful.Should().BeTrue());
    }

    [Fact]
    public void a_result_with_a_callback_is_ready_only_after_its_callback_ran()
    {
        var callbackDone = false;
        var result = _pool.ApplyAsync(Jobs.Plus, [1], callback: _ =>
        {
            Thread.Sleep(200);
            Volatile.Write(ref callbackDone, true);
        });

        result.Get(Patience).Should().Be(101);

        Volatile.Read(ref callbackDone).Should().BeTrue();
    }

    [Fact]
    public void a_tasks_exception_reaches_the_error_callback_and_get()
    {
        Exception? reported = null;
        var reportedOn = 0;
        var result = _pool.ApplyAsync(Jobs.Throw, ["bad input 42"], callback: _ => { }, errorCallback: e =>
        {
            reported = e;
            reportedOn = Environment.CurrentManagedThreadId;
        });

        var get = () => result.Get(Patience);

        var thrown = get.Should().Throw<InvalidOperationException>().Which;
        thrown.Message.Should().Be("bad input 42", "the child's message, unchanged");
        var error = RemoteException.Of(thrown)!;
        error.RemoteTypeName.Should().Be("System.InvalidOperationException");
        error.RemoteStackTrace.Should().Contain("Jobs.Throw");
        _pool.WorkerProcessIds.Should().Contain(error.ProcessId);
        reported.Should().BeSameAs(thrown, "the error callback gets the exception Get() throws");
        reportedOn.Should().Be(_pool.ResultHandlerThreadId);
        result.Ready.Should().BeTrue();
        result.Successful.Should().BeFalse();
    }

    [Fact]
    public void apply_rethrows_the_tasks_exception()
    {
        var apply = () => _pool.Apply(Jobs.Throw, "from apply");

        apply.Should().Throw<InvalidOperationException>().WithMessage("from apply")
            .Which.InnerException.Should().BeOfType<RemoteException>().Which.Message.Should().Match("*Throw(*InvalidOperationException: from apply*");
    }

    [Fact]
    public void get_with_a_timeout_gives_up_while_the_task_goes_on()
    {
        var result = _pool.ApplyAsync(Jobs.SleepThenPid, [600]);

        var get = () => result.Get(TimeSpan.FromMilliseconds(50));

        get.Should().Throw<TimeoutException>().WithMessage("*SleepThenPid(600)*did not finish*");
        result.Ready.Should().BeFalse();
        result.Invoking(r => r.Successful).Should().Throw<InvalidOperationException>().WithMessage("*not ready*");
        result.Wait(Patience).Should().BeTrue();
        result.Successful.Should().BeTrue();
        ((int)result.Get()!).Should().Be(result.ProcessId);
    }

    [Fact]
    public async Task a_result_can_be_awaited()
    {
        var value = await _pool.ApplyAsync(Jobs.Plus, [5]);

        value.Should().Be(105);
    }

    [Fact]
    public void map_returns_results_in_item_order()
    {
        var items = Enumerable.Range(0, 40).ToList();

        var results = _pool.Map<int, int>(Jobs.Plus, items);

        results.Should().Equal(items.Select(i => i + 100));
    }

    [Fact]
    public void map_uses_both_workers()
    {
        Eventually.True(() => _pool.Snapshot().Workers.Count(w => w.State == PoolWorkerState.Idle) == 2, "both workers are ready");

        var pids = _pool.Map<int, int>(Jobs.SleepThenPid, [150, 150, 150, 150]);

        pids.Distinct().Should().HaveCount(2);
    }

    [Fact]
    public void imap_unordered_yields_results_as_they_arrive()
    {
        var arrived = _pool.ImapUnordered<int, int>(Jobs.SleepThenReturn, [800, 10, 10, 10]).ToList();

        arrived.Should().BeEquivalentTo([800, 10, 10, 10]);
        arrived[0].Should().Be(10, "a quick task on the other worker finishes before the slow first item");
    }

    [Fact]
    public void a_worker_keeps_its_globals_between_tasks()
    {
        // Python's pool workers are long-lived processes too: a global a task changed is still changed for the next task there.
        var counts = Enumerable.Range(0, 6).Select(_ => (int)_pool.Apply(Jobs.BumpCounter)!).ToList();

        counts.Should().Contain(c => c > 1);
        Jobs.Counter.Should().Be(0);
    }

    [Fact]
    public void a_lambda_is_refused_before_anything_is_queued()
    {
        var submitted = _pool.Snapshot().Submitted;

        var apply = () => _pool.ApplyAsync(() => 1);

        apply.Should().Throw<ArgumentException>().WithMessage("*lambda*");
        _pool.Snapshot().Submitted.Should().Be(submitted);
    }
}
