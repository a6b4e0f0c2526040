using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>Python's <c>maxtasksperchild</c> and <c>initializer</c>/<c>initargs</c>.</summary>
public class PoolWorkerLifetimeTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public void a_worker_is_replaced_by_a_new_process_after_max_tasks_per_child()
    {
        using var pool = new ProcessPool(1, initializer: null, maxTasksPerChild: 2);

        var pids = Enumerable.Range(0, 6).Select(_ => (int)pool.Apply(Jobs.CurrentPid)!).ToList();

        pids.Distinct().Should().HaveCount(3, "each worker ran two tasks and a new process took over");
        pids.Chunk(2).Should().AllSatisfy(pair => pair[0].Should().Be(pair[1]));
        pool.Snapshot().Workers.Where(w => w.State == PoolWorkerState.Exited).Select(w => w.ProcessId)
            .Should().Contain(pids[0], "the view lists the retired worker as exited");
    }

    [Fact]
    public void the_initializer_runs_in_every_worker_including_replacements()
    {
        using var pool = new ProcessPool(2, Jobs.RememberGreeting, ["hello"], maxTasksPerChild: 1);

        var greetings = Enumerable.Range(0, 4).Select(_ => pool.ApplyAsync(Jobs.ReadGreeting)).ToList().Select(r => r.Get(Patience)).ToList();

        greetings.Should().AllBeEquivalentTo("hello");
        Jobs.Greeting.Should().BeNull("the initializer ran in the workers, not here");
    }

    [Fact]
    public void an_initializer_that_always_throws_ends_in_a_broken_pool_whose_tasks_fail()
    {
        var errors = new List<string>();
        using var pool = new ProcessPool(1, Jobs.FailingInitializer) { Output = line => { lock (errors) { errors.Add(line.Line); } } };

        var apply = () => pool.ApplyAsync(Jobs.Plus, [1]).Get(Patience);

        apply.Should().Throw<WorkerStartException>().WithMessage("*initializer refuses*")
            .Which.InnerException.Should().BeOfType<WorkerStartException>().Which.InnerException.Should().BeOfType<InvalidOperationException>();
        lock (errors)
        {
            errors.Should().Contain(line => line.Contains("initializer failed"));
        }
    }

    [Fact]
    public void bad_pool_arguments_get_pythons_messages()
    {
        var zero = () => new ProcessPool(0);
        var noLimit = () => new ProcessPool(1, initializer: null, maxTasksPerChild: 0);

        zero.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Number of processes must be at least 1*");
        noLimit.Should().Throw<ArgumentOutOfRangeException>().WithMessage("maxtasksperchild must be a positive int or None*");
    }
}
