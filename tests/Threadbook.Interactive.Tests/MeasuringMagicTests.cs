using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

/// <summary>#!timeit, #!race and #!threadpool typed as a user types them.</summary>
public class MeasuringMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    private static string StandardOutput(IEnumerable<KernelEvent> events) =>
        string.Concat(events.OfType<StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));

    [Fact]
    public async Task timeit_reports_mean_and_deviation_per_loop_and_keeps_the_result()
    {
        var events = (await kernel.SubmitAsync("#!timeit -n 1000 -r 3\nvar root = Math.Sqrt(2);")).ShouldSucceed();

        var text = events.Shown("text/plain").Should().ContainSingle().Subject;
        text.Should().MatchRegex(@"^\d+(\.\d+)? (ns|µs|ms|s) ± \d+(\.\d+)? (ns|µs|ms|s) per loop \(mean ± std\. dev\. of 3 runs, 1,000 loops each\)");
        events.Shown("text/html").Should().ContainSingle().Which.Should().Contain("per loop");

        var next = (await kernel.SubmitAsync("Console.Write($\"{timeitResult.Loops} {timeitResult.Repeats} {timeitResult.PerLoop.Count}\");")).ShouldSucceed();
        StandardOutput(next).Should().Be("1000 3 3");
    }

    [Fact]
    public async Task timeit_chooses_the_loop_count_and_counts_allocations()
    {
        (await kernel.SubmitAsync("#!timeit -r 2 --out allocating\nvar block = new byte[256];")).ShouldSucceed();

        var next = (await kernel.SubmitAsync("Console.Write($\"{allocating.Loops >= 10} {allocating.BytesAllocatedPerLoop >= 256}\");")).ShouldSucceed();
        StandardOutput(next).Should().Be("True True");
    }

    [Fact]
    public async Task timeit_times_a_bare_expression_too()
    {
        var events = (await kernel.SubmitAsync("#!timeit -n 100 -r 1\n40 + 2")).ShouldSucceed();

        events.Shown("text/plain").Should().ContainSingle().Which.Should().Contain("(mean ± std. dev. of 1 run, 100 loops each)");
    }

    [Fact]
    public async Task timeit_stops_when_the_cell_is_cancelled()
    {
        var running = kernel.SubmitAsync("#!timeit -n 100000000 -r 100\nSystem.Threading.Thread.SpinWait(100);");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await kernel.Kernel.SendAsync(new Cancel());

        var events = await running.WaitAsync(TimeSpan.FromSeconds(30));

        events.Failures().Should().NotBeEmpty();
    }

    [Theory]
    [InlineData("#!timeit -n 0\n1", "-n must be between 1")]
    [InlineData("#!timeit -r 5000\n1", "-r must be between 1 and 1000")]
    [InlineData("#!timeit -n lots\n1", "DNI106")]
    [InlineData("#!timeit --out 9\n1", "--out needs a C# variable name")]
    [InlineData("#!timeit --out class\n1", "#!timeit --out needs a C# variable name, got 'class'")]
    [InlineData("#!race\n1", "DNI104")]
    [InlineData("#!race --runs 0\n1", "--runs must be between 1 and 1000")]
    [InlineData("#!threadpool --interval 1\n1", "--interval must be between 10 and 10000")]
    [InlineData("#!race --runs 2 --out 9lives\n1", "#!race --out needs a C# variable name")]
    [InlineData("#!threadpool --out a-b\n1", "#!threadpool --out needs a C# variable name")]
    public async Task bad_arguments_are_refused_with_a_clear_message(string cell, string message)
    {
        var events = await kernel.SubmitAsync(cell);

        events.Failures().Should().Contain(f => f.Contains(message));
    }

    [Fact]
    public async Task race_shows_several_outcomes_for_the_unlocked_counter_and_one_for_the_locked()
    {
        const string counter = """
            var count = 0;
            var go = new System.Threading.ManualResetEventSlim();
            var adders = Enumerable.Range(0, 4).Select(_ => new System.Threading.Thread(() => { go.Wait(); for (var i = 0; i < LOOPS; i++) UPDATE; })).ToList();
            adders.ForEach(t => t.Start());
            go.Set();    // all four start adding at the same moment
            adders.ForEach(t => t.Join());
            count
            """;

        // Unlocked, each thread adds long enough (~10 ms) to overlap another even on a busy machine.
        var unlocked = (await kernel.SubmitAsync("#!race --runs 12\n" + counter.Replace("LOOPS", "2_000_000").Replace("UPDATE", "count++"))).ShouldSucceed();
        var locked = (await kernel.SubmitAsync("#!race --runs 6\nvar gate = new object();\n" + counter.Replace("LOOPS", "500_000").Replace("UPDATE", "lock (gate) { count++; }"))).ShouldSucceed();

        var unlockedTable = unlocked.Shown("text/plain").Should().ContainSingle(t => t.Contains("distinct outcome")).Subject;
        unlockedTable.Should().Contain("12 runs").And.NotContain(", 1 distinct outcome", "lost updates give different totals from run to run");
        var lockedTable = locked.Shown("text/plain").Should().ContainSingle(t => t.Contains("distinct outcome")).Subject;
        lockedTable.Should().Contain("6 runs, 1 distinct outcome").And.Contain("2000000");
        locked.Shown("text/html").Should().Contain(h => h.Contains("<svg") && h.Contains("2000000"));
        locked.Shown("text/plain").Should().Contain(t => t.Contains("Outcomes of 6 runs"), "a histogram chart follows the table");
    }

    [Fact]
    public async Task race_counts_a_run_that_throws_as_an_outcome()
    {
        var events = (await kernel.SubmitAsync("#!race --runs 4\nvar flip = Random.Shared.Next(2);\nif (flip == 0) throw new InvalidOperationException(\"tails\");\n\"heads\"")).ShouldSucceed();

        var table = events.Shown("text/plain").Should().ContainSingle(t => t.Contains("distinct outcome")).Subject;
        table.Should().Contain("4 runs");
    }

    [Fact]
    public async Task race_keeps_its_tally_in_the_variable_race_or_the_one_out_names()
    {
        (await kernel.SubmitAsync("#!race --runs 3\nvar answer = 40;\nanswer + 2")).ShouldSucceed();
        (await kernel.SubmitAsync("#!race --runs 2 --out coin\n\"heads\"")).ShouldSucceed();

        var next = (await kernel.SubmitAsync("Console.Write($\"{race.GetType().Name} {race.Runs.Count} {race.Distinct[0].Outcome} | {coin.Runs.Count} {coin.Distinct[0].Outcome}\");")).ShouldSucceed();
        StandardOutput(next).Should().Be("RaceOutcomes 3 42 | 2 heads", "--out gave the second tally its own name and left race as it was");
    }

    [Fact]
    public async Task race_shows_no_value_of_its_runs_only_the_tally()
    {
        var events = (await kernel.SubmitAsync("#!race --runs 5\n6 * 7")).ShouldSucceed();

        // The kernel publishes a run's events on its event stream even though they do not bubble into the cell: a front
        // end would show a return value once per run.
        events.OfType<ReturnValueProduced>().Should().BeEmpty("each run's value is counted, not shown");
        events.Shown("text/plain").Should().ContainSingle(t => t.Contains("distinct outcome")).Which.Should().Contain("5 runs, 1 distinct outcome").And.Contain("42");
    }

    [Fact]
    public async Task race_refuses_a_cell_that_does_not_compile_after_one_run()
    {
        var events = await kernel.SubmitAsync("#!race --runs 50\nnoSuchVariable + 1");

        events.Failures().Should().Contain(f => f.Contains("#!race: the cell does not compile") && f.Contains("noSuchVariable"));
        events.Shown("text/plain").Should().NotContain(t => t.Contains("distinct outcome"), "a compile error is not an outcome");
    }

    [Fact]
    public async Task race_stops_between_runs_when_the_cell_is_cancelled()
    {
        var running = kernel.SubmitAsync("#!race --runs 1000\nSystem.Threading.Thread.Sleep(100);\n1");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await kernel.Kernel.SendAsync(new Cancel());

        var events = await running.WaitAsync(TimeSpan.FromSeconds(30));

        events.Failures().Should().NotBeEmpty("1000 runs of 0.1 s would take 100 s; the cell stopped instead");
    }

    [Fact]
    public async Task threadpool_keeps_its_sampler_in_the_variable_threadpool_or_the_one_out_names()
    {
        (await kernel.SubmitAsync("#!threadpool --interval 20\nSystem.Threading.Thread.Sleep(100);")).ShouldSucceed();
        (await kernel.SubmitAsync("#!threadpool --interval 20 --out quiet\nSystem.Threading.Thread.Sleep(60);")).ShouldSucceed();

        var next = (await kernel.SubmitAsync("Console.Write($\"{threadpool.GetType().Name} {threadpool.Samples.Count > 2} {threadpool.Interval.TotalMilliseconds} {quiet.Samples.Count > 1} {object.ReferenceEquals(quiet, threadpool)}\");")).ShouldSucceed();
        StandardOutput(next).Should().Be("ThreadPoolSampler True 20 True False");
    }

    [Fact]
    public async Task threadpool_updates_a_live_view_while_blocking_work_makes_the_pool_grow()
    {
        var events = (await kernel.SubmitAsync("""
            #!threadpool --interval 20
            // More tasks than the pool has threads, whatever earlier cells grew it to, so some must queue.
            var blocked = Enumerable.Range(0, System.Threading.ThreadPool.ThreadCount + 12).Select(_ => Task.Run(() => System.Threading.Thread.Sleep(400))).ToArray();
            Task.WaitAll(blocked);
            """)).ShouldSucceed();

        events.OfType<DisplayedValueUpdated>().Should().NotBeEmpty("the view was updated while the cell ran");
        var last = events.OfType<DisplayEvent>().Last(e => e.FormattedValues.Any(v => v.Value.StartsWith("thread pool after")));
        last.FormattedValues.First(v => v.MimeType == "text/plain").Value.Should().MatchRegex(@"\(peak \d+\), \d+ queued \(peak [1-9]\d*\)", "blocking work queued up");
        events.Shown("text/html").Should().Contain(h => h.Contains("Thread pool while the cell ran") && h.Contains("plotly"), "the final chart is drawn by plotly");
    }
}
