using Threadbook.Exploration;

namespace Threadbook.Tests.Exploration;

/// <summary>
/// What explored threads print is kept per schedule, not printed once per schedule. These tests swap the process's
/// console writers; the assembly runs its tests one at a time (AssemblyInfo), so no other test writes meanwhile.
/// </summary>
public class ScheduleOutputTests
{
    private static readonly ExplorationOptions EveryInterleaving = new() { Reduction = false };

    private static readonly string[] CounterLines = ["building the program", "read ", "wrote "];

    /// <summary>Two threads race on gl_num and say what they read and wrote; the setup says it built the program.</summary>
    private static void PrintingCounter(ExploredProgram program)
    {
        Console.WriteLine("building the program");
        var glNum = program.Shared("gl_num", 0);
        foreach (var name in new[] { "t1", "t2" })
        {
            program.Thread(name, () =>
            {
                var seen = glNum.Value;
                Console.WriteLine($"read {seen}");
                glNum.Value = seen + 1;
                Console.WriteLine($"wrote {seen + 1}");
            });
        }

        program.Check(() => glNum.Value == 2, "gl_num == 2");
    }

    [Fact]
    public void an_exhaustive_exploration_of_a_printing_program_prints_nothing_to_the_console()
    {
        var (result, console) = WithConsole(() => Explorer.Explore(PrintingCounter, EveryInterleaving));

        result.IsExhausted.Should().BeTrue();
        result.SchedulesExplored.Should().Be(6, "two threads of two steps interleave in 6 ways");
        result.FoundBug.Should().BeTrue();
        Lines(console, CounterLines).Should().BeEmpty("the threads' and the setup's lines belong to their schedules, not to the console");
    }

    [Fact]
    public void the_first_bug_keeps_exactly_the_lines_its_schedule_printed_in_execution_order()
    {
        var bug = WithConsole(() => Explorer.Explore(PrintingCounter, EveryInterleaving)).Result.FirstBug!;

        // Each thread prints right after its step and before its next scheduling point, so the lines follow the steps.
        var expected = bug.Steps.Select(step => step.Action switch
        {
            var read when read.StartsWith("read gl_num → ", StringComparison.Ordinal) => $"{step.ThreadName}: read {read[^1]}",
            var write => $"{step.ThreadName}: wrote {write[^1]}",
        });
        bug.Output.Should().Equal(["setup: building the program", .. expected]);
        bug.Output.Should().Contain(["t1: read 0", "t2: read 0"], "both threads read before either wrote: the lost update");
        bug.OutputLinesDropped.Should().Be(0);
    }

    [Fact]
    public void a_replay_of_the_failing_schedule_reproduces_the_same_output()
    {
        var (found, console) = WithConsole(() =>
        {
            var bug = Explorer.Explore(PrintingCounter).FirstBug!;
            return (Bug: bug, Replay: Explorer.Replay(PrintingCounter, bug.Schedule));
        });

        found.Replay.Output.Should().NotBeEmpty().And.Equal(found.Bug.Output);
        Lines(console, CounterLines).Should().BeEmpty();
    }

    [Fact]
    public void what_a_thread_writes_to_standard_error_is_kept_too_and_tagged_as_such()
    {
        var (result, console) = WithConsole(() => Explorer.Explore(program =>
        {
            program.Thread("t1", () =>
            {
                Console.Error.WriteLine("oops");
                Console.Write("no newline");
                program.Assert(false, "it always fails");
            });
        }));

        result.FirstBug!.Output.Should().Equal("t1 (stderr): oops", "t1: no newline");
        Lines(console, "oops", "no newline").Should().BeEmpty();
    }

    [Fact]
    public void output_an_unrelated_thread_writes_during_an_exploration_still_reaches_the_console()
    {
        var outsiderWrote = 0;
        var (result, console) = WithConsole(() => Explorer.Explore(
            program =>
            {
                // The first setup, while the exploration runs, has a thread of its own print and waits for it.
                if (Interlocked.Exchange(ref outsiderWrote, 1) == 0)
                {
                    var outsider = new Thread(() => Console.WriteLine("an unrelated thread"));
                    outsider.Start();
                    outsider.Join();
                }

                PrintingCounter(program);
            },
            EveryInterleaving));

        result.SchedulesExplored.Should().Be(6);
        Lines(console, "an unrelated thread").Should().Equal("an unrelated thread");
        Lines(console, CounterLines).Should().BeEmpty();
    }

    [Fact]
    public void the_console_writers_are_the_original_ones_again_after_an_exploration_and_a_replay()
    {
        var (outBefore, errorBefore) = (Console.Out, Console.Error);

        var bug = Explorer.Explore(PrintingCounter).FirstBug!;
        Console.Out.Should().BeSameAs(outBefore);
        Console.Error.Should().BeSameAs(errorBefore);

        Explorer.Replay(PrintingCounter, bug.Schedule);
        Console.Out.Should().BeSameAs(outBefore);
        Console.Error.Should().BeSameAs(errorBefore);
    }

    [Fact]
    public void the_console_writers_are_the_original_ones_again_after_the_programs_setup_throws()
    {
        var (outBefore, errorBefore) = (Console.Out, Console.Error);

        var explore = () => Explorer.Explore(program =>
        {
            Console.WriteLine("about to fail");
            throw new InvalidOperationException("the setup failed");
        });

        explore.Should().Throw<InvalidOperationException>().WithMessage("the setup failed");
        Console.Out.Should().BeSameAs(outBefore);
        Console.Error.Should().BeSameAs(errorBefore);
        ExplorerRunners.HookIsActive.Should().BeFalse();
    }

    [Fact]
    public void two_explorations_at_once_each_keep_their_own_output_and_the_console_is_restored_after_both()
    {
        using var bothStarted = new CountdownEvent(2);
        Action<ExploredProgram> Labelled(string label)
        {
            var first = 1;
            return program =>
            {
                // Neither exploration goes on before both have begun, so they overlap.
                if (Interlocked.Exchange(ref first, 0) == 1)
                {
                    bothStarted.Signal();
                    bothStarted.Wait(TimeSpan.FromSeconds(30)).Should().BeTrue("the other exploration started");
                }

                var shared = program.Shared("x", 0);
                program.Thread("t1", () => { shared.Value += 1; Console.WriteLine(label); });
                program.Thread("t2", () => { shared.Value += 1; Console.WriteLine(label); });
                program.Check(() => shared.Value == 2, "x == 2");
            };
        }

        var ((a, b), console) = WithConsole(() =>
        {
            var first = Task.Factory.StartNew(() => Explorer.Explore(Labelled("exploration A"), EveryInterleaving), TaskCreationOptions.LongRunning);
            var second = Task.Factory.StartNew(() => Explorer.Explore(Labelled("exploration B"), EveryInterleaving), TaskCreationOptions.LongRunning);
            return (first.Result, second.Result);
        });

        a.FirstBug!.Output.Should().Equal("t1: exploration A", "t2: exploration A");
        b.FirstBug!.Output.Should().Equal("t1: exploration B", "t2: exploration B");
        Lines(console, "exploration A", "exploration B").Should().BeEmpty();
    }

    [Fact]
    public void a_schedule_that_prints_in_a_loop_keeps_its_first_200_lines_and_counts_the_rest()
    {
        var (result, console) = WithConsole(() => Explorer.Explore(program =>
        {
            program.Thread("t1", () =>
            {
                for (var i = 0; i < 1_000; i++)
                {
                    Console.WriteLine($"line {i}");
                }

                Console.WriteLine(new string('x', 5_000));
                program.Assert(false, "it always fails");
            });
        }));

        var bug = result.FirstBug!;
        bug.Output.Should().HaveCount(200);
        bug.Output[0].Should().Be("t1: line 0");
        bug.Output[^1].Should().Be("t1: line 199");
        bug.OutputLinesDropped.Should().Be(801);
        bug.ToText().Should().Contain("801 more lines");
        Lines(console, "line ", "xxx").Should().BeEmpty();
    }

    [Fact]
    public void a_very_long_line_is_cut()
    {
        var bug = WithConsole(() => Explorer.Explore(program =>
        {
            program.Thread("t1", () =>
            {
                Console.Write(new string('x', 3_000));
                Console.WriteLine(new string('y', 3_000));
                program.Assert(false, "it always fails");
            });
        })).Result.FirstBug!;

        bug.Output.Should().ContainSingle().Which.Should().StartWith("t1: xxx").And.EndWith("x …").And.HaveLength(1_000 + "t1: ".Length + " …".Length);
    }

    [Fact]
    public void with_capture_turned_off_the_threads_print_once_per_schedule_run_as_before()
    {
        var (result, console) = WithConsole(() => Explorer.Explore(PrintingCounter, EveryInterleaving with { CaptureOutput = false }));

        var lines = Lines(console, CounterLines);

        // Every schedule and the recorded replay of the first bug build the program once.
        lines.Count(line => line == "building the program").Should().Be(result.SchedulesExplored + 1);
        lines.Count(line => line.StartsWith("read ", StringComparison.Ordinal)).Should().Be(2 * (result.SchedulesExplored + 1));
        result.FirstBug!.Output.Should().BeEmpty();
    }

    [Fact]
    public void the_failing_schedules_html_and_text_show_what_it_printed_escaped()
    {
        var result = WithConsole(() => Explorer.Explore(program =>
        {
            program.Thread("t1", () =>
            {
                Console.WriteLine("<b>bold</b> & more");
                program.Assert(false, "it always fails");
            });
        })).Result;

        var html = result.ToHtml();
        html.Should().Contain("What this schedule printed").And.Contain("<pre").And.Contain("t1: &lt;b&gt;bold&lt;/b&gt; &amp; more")
            .And.NotContain("<b>bold").And.NotContain("<script");
        result.ToText().Should().Contain("What this schedule printed:").And.Contain("t1: <b>bold</b> & more");
    }

    [Fact]
    public void a_schedule_that_printed_nothing_shows_no_printed_section()
    {
        var result = Explorer.Explore(Programs.UnlockedCounter);

        result.FirstBug!.Output.Should().BeEmpty();
        result.ToHtml().Should().NotContain("What this schedule printed");
        result.ToText().Should().NotContain("What this schedule printed");
    }

    /// <summary>
    /// The console's lines that contain one of <paramref name="printed"/>: what this class's programs print. Threads an
    /// earlier test left behind may write to the console too, and are not what these tests are about.
    /// </summary>
    private static string[] Lines(string console, params string[] printed) =>
        console.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries).Where(line => printed.Any(line.Contains)).ToArray();

    /// <summary>Runs <paramref name="action"/> with both console writers redirected; returns its result and what reached them.</summary>
    private static (T Result, string Console) WithConsole<T>(Func<T> action)
    {
        var (originalOut, originalError) = (Console.Out, Console.Error);
        var written = new StringWriter();
        Console.SetOut(written);
        Console.SetError(written);
        try
        {
            var result = action();
            return (result, written.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
        }
    }
}
