using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

/// <summary>#!explore and the explorer called from a cell, typed as a user types them.</summary>
public class ExploreMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    private const string Counter = """
        var glNum = program.Shared("gl_num", 0);
        program.Thread("t1", () => glNum.Value += 1);
        program.Thread("t2", () => glNum.Value += 1);
        program.Check(() => glNum.Value == 2, "gl_num == 2");
        """;

    private static string StandardOutput(IEnumerable<KernelEvent> events) =>
        string.Concat(events.OfType<StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));

    [Fact]
    public async Task explore_finds_the_lost_update_shows_its_schedule_and_keeps_the_result()
    {
        var events = (await kernel.SubmitAsync("#!explore\n" + Counter)).ShouldSucceed();

        events.Shown("text/plain").Should().ContainSingle().Which.Should()
            .StartWith("Bug found: 2 of 4 schedules fail (check failed: gl_num == 2).")
            .And.Contain("every schedule covered");
        var html = events.Shown("text/html").Should().ContainSingle().Subject;
        html.Should().Contain("read gl_num → 0").And.Contain("Step by step").And.NotContain("<script");

        var next = (await kernel.SubmitAsync("Console.Write($\"{exploration.FirstBug!.Outcome} {exploration.SchedulesExplored} {exploration.IsExhausted}\");")).ShouldSucceed();
        StandardOutput(next).Should().Be("gl_num = 1 4 True");
    }

    [Fact]
    public async Task explore_shows_what_the_failing_schedule_printed_and_does_not_print_the_threads_lines_once_per_schedule()
    {
        var events = (await kernel.SubmitAsync("""
            #!explore --out printed
            var glNum = program.Shared("gl_num", 0);
            void AddOne() { var seen = glNum.Value; Console.WriteLine($"saw {seen}"); glNum.Value = seen + 1; }
            program.Thread("t1", AddOne);
            program.Thread("t2", AddOne);
            program.Check(() => glNum.Value == 2, "gl_num == 2");
            """)).ShouldSucceed();

        events.Shown("text/html").Should().ContainSingle().Which.Should()
            .Contain("What this schedule printed").And.Contain("t1: saw 0").And.Contain("t2: saw 0");
        events.Shown("text/plain").Should().ContainSingle().Which.Should().Contain("What this schedule printed:");
        StandardOutput(events).Should().NotContain("saw", "the threads' lines belong to the failing schedule, not to the cell once per schedule");
        ExtensionKernel.ProcessStdout.ToString().Should().NotContain("saw 0");

        var next = (await kernel.SubmitAsync("Console.Write(string.Join(\"|\", printed.FirstBug!.Output));")).ShouldSucceed();
        StandardOutput(next).Should().Be("t1: saw 0|t2: saw 0");
    }

    [Fact]
    public async Task explore_takes_a_strategy_a_seed_and_a_variable_name()
    {
        (await kernel.SubmitAsync("#!explore --strategy pct --seed 5 --schedules 40 --out pct\n" + Counter)).ShouldSucceed();

        var next = (await kernel.SubmitAsync("Console.Write($\"{pct.Strategy}|{pct.SchedulesExplored}|{pct.FoundBug}\");")).ShouldSucceed();
        StandardOutput(next).Should().Be("PCT, depth 3, seed 5|40|True");
    }

    [Fact]
    public async Task the_explorer_called_from_a_cell_shows_its_result_through_the_formatter()
    {
        var events = (await kernel.SubmitAsync("""
            using Threadbook.Exploration;
            using Threadbook.Threading;
            Explorer.Explore(program =>
            {
                var a = new TracedRLock("lock-A");
                var b = new TracedRLock("lock-B");
                program.Thread("t1", () => { using (a.Hold()) using (b.Hold()) { } });
                program.Thread("t2", () => { using (b.Hold()) using (a.Hold()) { } });
            })
            """)).ShouldSucceed();

        var html = events.Shown("text/html").Should().ContainSingle().Subject;
        html.Should().Contain("wait-for cycle").And.Contain("<svg").And.Contain("stuck: lock-A");
        html.Length.Should().BeLessThan(30_000);
    }

    [Theory]
    [InlineData("#!explore --strategy bogus\nprogram.Thread(() => { });", "--strategy must be exhaustive, random or pct")]
    [InlineData("#!explore --schedules 0\nprogram.Thread(() => { });", "--schedules must be between 1")]
    [InlineData("#!explore --out 9\nprogram.Thread(() => { });", "--out needs a C# variable name")]
    [InlineData("#!explore\n", "needs a program after the magic line")]
    [InlineData("#!explore\nprogram.Shared(\"x\", 0);", "no threads")]
    public async Task bad_input_is_refused_with_a_clear_message(string cell, string message)
    {
        var events = await kernel.SubmitAsync(cell);

        events.Failures().Should().Contain(failure => failure.Contains(message));
    }

    [Fact]
    public async Task a_lock_from_an_earlier_cell_is_refused_with_a_message_saying_to_create_it_in_the_explore_cell()
    {
        (await kernel.SubmitAsync("var earlierLock = new Threadbook.Threading.TracedRLock(\"from an earlier cell\");")).ShouldSucceed();

        var events = await kernel.SubmitAsync("""
            #!explore
            program.Thread("t1", () => { using (earlierLock.Hold()) { } });
            program.Thread("t2", () => { using (earlierLock.Hold()) { } });
            """);

        events.Failures().Should().Contain(failure =>
            failure.Contains("RLock 'from an earlier cell', which was created outside the explored program") && failure.Contains("#!explore cell") &&
            !failure.Contains(" at Threadbook.", StringComparison.Ordinal));
        var after = (await kernel.SubmitAsync("Console.Write(earlierLock.IsHeld);")).ShouldSucceed();
        StandardOutput(after).Should().Be("False");
    }

    [Fact]
    public async Task help_lists_the_options()
    {
        var events = (await kernel.SubmitAsync("#!explore --help")).ShouldSucceed();

        events.Shown("text/plain").Should().ContainSingle().Which.Should()
            .Contain("--strategy").And.Contain("--seed").And.Contain("--stop-at-first-bug").And.Contain("--out");
    }
}
