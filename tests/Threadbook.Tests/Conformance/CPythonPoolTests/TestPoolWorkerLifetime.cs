using Threadbook.Processes;
using static Threadbook.Tests.Conformance.CPythonPoolTests.PythonTimeouts;

namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>CPython's <c>_TestPoolWorkerLifetime</c>, ported.</summary>
[Trait("Category", "Conformance")]
public class TestPoolWorkerLifetime
{
    [Fact]
    public void TestPoolWorkerLifetime_test_pool_worker_lifetime()
    {
        var p = new ProcessPool(3, initializer: null, maxTasksPerChild: 10);
        p.WorkerProcessIds.Should().HaveCount(3);
        var origWorkerPids = p.WorkerProcessIds.ToList();
        // Run many tasks so each worker gets replaced (hopefully)
        var results = Enumerable.Range(0, 100).Select(i => p.ApplyAsync(PoolFunctions.Sqr, [i])).ToList();
        // Fetch the results and verify we got the right answers, also ensuring all the tasks have completed.
        for (var j = 0; j < results.Count; j++)
        {
            results[j].Get().Should().Be(j * j);
        }

        // Refill the pool (done on its own here) and wait until all workers are alive (countdown * DELTA = 5 seconds max startup process time)
        var countdown = 50;
        while (countdown > 0 && p.Snapshot().Workers.Count(w => w.State is PoolWorkerState.Idle or PoolWorkerState.Busy) < 3)
        {
            countdown--;
            Thread.Sleep(TimeSpan.FromSeconds(Delta));
        }

        var finalWorkerPids = p.WorkerProcessIds.ToList();
        // All pids should be assigned. See issue #7805.
        origWorkerPids.Should().NotContain(0);
        finalWorkerPids.Should().NotContain(0);
        // Finally, check that the worker pids have changed
        finalWorkerPids.Order().Should().NotEqual(origWorkerPids.Order());
        p.Close();
        p.Join();
    }

    [Fact]
    public void TestPoolWorkerLifetime_test_pool_worker_lifetime_early_close()
    {
        // Issue #10332: closing a pool whose workers have limited lifetimes before all the tasks completed would make join() hang.
        var p = new ProcessPool(3, initializer: null, maxTasksPerChild: 1);
        var results = Enumerable.Range(0, 6).Select(i => p.ApplyAsync(PoolFunctions.SqrAfter, [i, 0.3])).ToList();
        p.Close();

        p.Join(Patience).Should().BeTrue("join() must not hang");

        for (var j = 0; j < results.Count; j++)
        {
            results[j].Get().Should().Be(j * j);
        }
    }

    [Fact]
    public void TestPoolWorkerLifetime_test_pool_maxtasksperchild_invalid()
    {
        // [0, -1, 0.5, "12"]: C#'s int? rules out 0.5 and "12" at compile time; ValueError → ArgumentOutOfRangeException.
        foreach (var value in new[] { 0, -1 })
        {
            var make = () => new ProcessPool(3, initializer: null, maxTasksPerChild: value);
            make.Should().Throw<ArgumentOutOfRangeException>().WithMessage("maxtasksperchild must be a positive int or None*");
        }
    }

    [Fact]
    public void TestPoolWorkerLifetime_test_worker_finalization_via_atexit_handler_of_multiprocessing()
    {
        // tests cases against bpo-38744 and bpo-39360: a program whose pool sits in a global, never closed, still exits with 0.
        using var child = ChildProcess.Start(PoolFunctions.LeavePoolOpenInAGlobal);

        child.Join(Patience).Should().BeTrue("the program ends though its pool was never closed");
        child.Error.Should().BeNull();
        child.ExitCode.Should().Be(0);
    }
}
