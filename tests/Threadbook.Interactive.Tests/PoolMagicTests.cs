using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

/// <summary>#!pool typed as a user types it: a pool of real worker processes, shown live while the cell runs.</summary>
public sealed class PoolMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>, IAsyncLifetime
{
    private const string WorkerCode = """
        #!worker
        public static class PoolJobs
        {
            public static int Foo(int i)
            {
                System.Threading.Thread.Sleep(100);
                System.Console.WriteLine($"working on {i} in {System.Environment.ProcessId}");
                return i + 100;
            }

            public static int Pid() => System.Environment.ProcessId;

            public static int Refuse(string why) => throw new System.ArgumentException(why);
        }
        """;

    private static string StandardOutput(IEnumerable<KernelEvent> events) =>
        string.Concat(events.OfType<StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));

    private static string LastView(IEnumerable<KernelEvent> events) =>
        events.OfType<DisplayedValueUpdated>().Last().FormattedValues.Single(v => v.MimeType == "text/plain").Value;

    public async Task InitializeAsync() => (await kernel.SubmitAsync(WorkerCode)).ShouldSucceed();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task pool_magic_makes_a_pool_and_shows_its_workers_and_their_output_while_the_cell_runs()
    {
        var events = (await kernel.SubmitAsync("""
            #!pool --processes 2
            var results = Enumerable.Range(0, 4).Select(i => pool.ApplyAsync(PoolJobs.Foo, [i])).ToList();
            pool.Close();
            pool.Join();
            Console.Write(string.Join(",", results.Select(r => r.Get())) + ";" + string.Join(",", results.Select(r => r.ProcessId).Distinct().Order()));
            """)).ShouldSucceed();

        var printed = StandardOutput(events).Split(';');
        printed[0].Should().Be("100,101,102,103");
        var pids = printed[1].Split(',');
        pids.Should().NotContain(Environment.ProcessId.ToString(), "tasks run in worker processes");

        events.OfType<DisplayedValueProduced>().Should().Contain(e => e.FormattedValues.Any(v => v.Value.Contains("ProcessPool(2)")), "the view is shown as the cell starts");
        events.OfType<DisplayedValueUpdated>().Count().Should().BeGreaterThan(1, "the view is redrawn as tasks finish, and once more at the end");
        var last = LastView(events);
        last.Should().Contain("ProcessPool(2): closed").And.Contain("4 completed").And.Contain("0 failed");
        foreach (var pid in pids)
        {
            last.Should().Contain($"pid {pid}: ", "each worker that ran a task has its own output block");
        }

        for (var i = 0; i < 4; i++)
        {
            last.Should().MatchRegex($@"--- worker \d+, pid (\d+): \d line\(s\) ---(\n.*)*\nworking on {i} in \1\b", "a worker's lines are in its own block");
        }

        events.OfType<DisplayedValueUpdated>().Last().FormattedValues.Single(v => v.MimeType == "text/html").Value
            .Should().Contain("<details open><summary>worker ").And.Contain("working on 3");
        StandardOutput(events).Should().NotContain("working on", "the workers' lines go into their blocks, not interleaved into the cell's output");
    }

    [Fact]
    public async Task the_view_lists_the_results_so_far_with_the_worker_that_made_each()
    {
        var events = (await kernel.SubmitAsync("""
            #!pool --processes 2 --out resultsPool
            resultsPool.Map<int, int>(PoolJobs.Foo, [1, 2, 3]);
            resultsPool.ApplyAsync(PoolJobs.Refuse, ["bad input"]).Wait();
            resultsPool.Close();
            resultsPool.Join();
            Console.Write(string.Join(",", resultsPool.Snapshot().Recent.Select(r => $"{r.Call}={r.ProcessId}")));
            """)).ShouldSucceed();

        var last = LastView(events);
        last.Should().Contain("results so far: 4").And.Contain("✗ ArgumentException: bad input");
        foreach (var (call, pid) in StandardOutput(events).Split(',').Select(pair => (pair.Split('=')[0], pair.Split('=')[1])))
        {
            last.Should().MatchRegex($@"#\d+ +{System.Text.RegularExpressions.Regex.Escape(call)} +{pid} ", "each result names the worker that made it");
        }

        last.Should().MatchRegex(@"Foo\(1\) +\d+ +101 ").And.MatchRegex(@"Foo\(3\) +\d+ +103 ");
        events.OfType<DisplayedValueUpdated>().Last().FormattedValues.Single(v => v.MimeType == "text/html").Value.Should().Contain("results so far: 4");
    }

    [Fact]
    public async Task a_running_pool_in_the_variable_is_reused_and_a_different_size_is_refused()
    {
        (await kernel.SubmitAsync("#!pool --processes 2 --out shared\nvar firstPool = shared;")).ShouldSucceed();

        var again = (await kernel.SubmitAsync("#!pool --out shared\nConsole.Write($\"{object.ReferenceEquals(firstPool, shared)} {shared.Apply(PoolJobs.Foo, 7)}\");")).ShouldSucceed();
        StandardOutput(again).Should().Be("True 107");

        var refused = await kernel.SubmitAsync("#!pool --processes 3 --out shared\n1");
        refused.Failures().Should().ContainSingle().Which.Should().Contain("already holds a running pool of 2");

        (await kernel.SubmitAsync("shared.Dispose();")).ShouldSucceed();
        var fresh = (await kernel.SubmitAsync("#!pool --processes 1 --out shared\nConsole.Write($\"{object.ReferenceEquals(firstPool, shared)} {shared.Processes}\"); shared.Dispose();")).ShouldSucceed();
        StandardOutput(fresh).Should().Be("False 1", "a terminated pool is replaced by a new one");
    }

    [Fact]
    public async Task the_pool_gets_its_output_handler_back_after_the_cell()
    {
        var events = (await kernel.SubmitAsync("""
            var own = new Threadbook.Processes.ProcessPool(1);
            var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
            own.Output = line => lines.Enqueue(line.Line);
            """)).ShouldSucceed();

        (await kernel.SubmitAsync("#!pool --out own\nown.Apply(PoolJobs.Foo, 1);")).ShouldSucceed();
        var after = (await kernel.SubmitAsync("""
            own.Apply(PoolJobs.Foo, 2);
            own.Close(); own.Join();
            Console.Write(string.Join("|", lines.Select(l => l.Split(" in ")[0])));
            """)).ShouldSucceed();

        StandardOutput(after).Should().Be("working on 2", "the line written while #!pool watched went to its view, the later one to the cell's own handler");
    }

    [Fact]
    public async Task pool_tasks_are_on_the_timeline_when_the_cell_is_traced_too()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace --no-wait
            #!pool --processes 2 --out traced
            traced.Map<int, int>(PoolJobs.Foo, [1, 2]);
            traced.Close();
            traced.Join();
            Console.Write(string.Join(",", traced.Snapshot().Workers.Select(w => w.ProcessId)));
            """)).ShouldSucceed();

        events.OfType<DisplayedValueUpdated>().Should().NotBeEmpty();
        var pids = StandardOutput(events).Split(',');
        var trace = events.Shown("text/plain").Should().Contain(t => t.StartsWith("Trace ")).Subject;
        foreach (var pid in pids)
        {
            trace.Should().Contain($"worker process {pid}", "each worker has a lane on the timeline");
        }

        events.Shown("text/html").Should().Contain(h => h.Contains("<svg") && h.Contains("Foo(1)") && h.Contains("Foo(2)"), "each task is a span on its worker's lane");
    }

    [Fact]
    public async Task a_variable_holding_something_else_is_not_overwritten()
    {
        (await kernel.SubmitAsync("var taken = 42;")).ShouldSucceed();

        var refused = await kernel.SubmitAsync("#!pool --processes 1 --out taken\n1");

        refused.Failures().Should().ContainSingle().Which.Should().Contain("'taken' already holds a value of type Int32, not a ProcessPool");
        var after = (await kernel.SubmitAsync("Console.Write(taken);")).ShouldSucceed();
        StandardOutput(after).Should().Be("42");
    }

    [Fact]
    public async Task when_the_cell_throws_the_view_is_still_finished_and_the_output_handed_back()
    {
        var events = await kernel.SubmitAsync("""
            #!pool --processes 1 --out failing
            failing.Apply(PoolJobs.Foo, 5);
            throw new InvalidOperationException("the cell failed after its task");
            """);

        events.Failures().Should().ContainSingle().Which.Should().Contain("the cell failed after its task");
        LastView(events).Should().Contain("1 completed").And.Contain("working on 5");
        var after = (await kernel.SubmitAsync("""
            Console.Write(failing.Output is null);
            failing.Dispose();
            """)).ShouldSucceed();
        StandardOutput(after).Should().Be("True", "the pool's output goes back to its default handler after the watched cell");
    }

    [Theory]
    [InlineData("#!pool --processes 0\n1", "--processes must be between 1 and 64")]
    [InlineData("#!pool --processes 65\n1", "--processes must be between 1 and 64")]
    [InlineData("#!pool --interval 5\n1", "--interval must be between 20 and 10000")]
    [InlineData("#!pool --out 2pools\n1", "--out must be a C# variable name")]
    [InlineData("#!pool --out class\n1", "--out must be a C# variable name")]
    [InlineData("#!pool --processes many\n1", "DNI106")]
    public async Task bad_options_are_refused_with_the_reason(string cell, string reason)
    {
        var events = await kernel.SubmitAsync(cell);

        events.Failures().Should().ContainSingle().Which.Should().Contain(reason);
    }

    [Fact]
    public async Task help_describes_the_options()
    {
        var events = (await kernel.SubmitAsync("#!pool --help")).ShouldSucceed();

        events.Shown("text/plain").Should().ContainSingle().Which.Should().Contain("--processes").And.Contain("--out").And.Contain("--interval");
    }
}
