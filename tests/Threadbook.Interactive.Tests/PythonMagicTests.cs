using System.Diagnostics;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

/// <summary>#!python runs the notes' originals for real, with Debian's python3 (the test command installs it).</summary>
public class PythonMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    private static string StandardOutput(IEnumerable<KernelEvent> events) =>
        string.Concat(events.OfType<StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));

    private static bool ProcessExists(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");
        }
        catch (IOException)
        {
            return false; // it vanished, possibly between a look and the read (a kill is quick now)
        }
    }

    /// <summary>True once the process is gone, false if it is still there after 10 s (a kill takes effect a moment later).</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        for (var waited = 0; waited < 10_000 && ProcessExists(pid); waited += 20)
        {
            await Task.Delay(20);
        }

        return !ProcessExists(pid);
    }

    [Fact]
    public async Task output_is_streamed_into_the_cell_while_the_program_runs()
    {
        var arrivals = new List<(string Text, TimeSpan At)>();
        var clock = Stopwatch.StartNew();
        using var _ = kernel.Kernel.KernelEvents.Subscribe(e =>
        {
            if (e is StandardOutputValueProduced output)
            {
                lock (arrivals) { arrivals.Add((output.FormattedValues.First().Value, clock.Elapsed)); }
            }
        });

        var events = (await kernel.SubmitAsync("""
            #!python
            import time
            print("before the sleep")
            time.sleep(1.5)
            print("after the sleep")
            """)).ShouldSucceed();
        var ended = clock.Elapsed;

        var first = arrivals.Single(a => a.Text.Contains("before the sleep"));
        first.At.Should().BeLessThan(ended - TimeSpan.FromSeconds(1), "the first line arrived while the program was still sleeping");
        StandardOutput(events).Should().Contain("after the sleep");
        events.Shown("text/plain").Should().Contain(t => t.Contains("exited with code 0 after"));
    }

    [Fact]
    public async Task a_traceback_fails_the_cell_with_pythons_own_line_numbers()
    {
        var events = await kernel.SubmitAsync("""
            #!python
            x = 1
            y = x / 0
            """);

        var failure = events.Failures().Should().ContainSingle().Subject;
        failure.Should().Contain("Traceback (most recent call last):").And.Contain("File \"<python cell>\", line 2").And.Contain("ZeroDivisionError");
    }

    [Fact]
    public async Task a_non_zero_exit_fails_the_cell()
    {
        var events = await kernel.SubmitAsync("#!python\nimport sys\nsys.exit(3)");

        events.Failures().Should().ContainSingle().Which.Should().Contain("exited with code 3");
    }

    [Fact]
    public async Task a_timeout_kills_the_program_and_its_children()
    {
        var events = await kernel.SubmitAsync("""
            #!python --timeout 2
            import os, subprocess, time
            child = subprocess.Popen(["sleep", "60"])
            print(os.getpid(), child.pid, flush=True)
            time.sleep(60)
            """);

        events.Failures().Should().ContainSingle().Which.Should().Contain("killed");
        var pids = StandardOutput(events).Trim().Split(' ').Select(int.Parse).ToList();
        pids.Should().HaveCount(2);
        foreach (var pid in pids)
        {
            (await GoneAsync(pid)).Should().BeTrue($"nothing the cell started is left running (pid {pid})");
        }
    }

    [Fact]
    public async Task cancelling_the_cell_kills_the_program()
    {
        var running = kernel.SubmitAsync("""
            #!python
            import os, time
            print(os.getpid(), flush=True)
            time.sleep(60)
            """);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await kernel.Kernel.SendAsync(new Cancel());

        var events = await running.WaitAsync(TimeSpan.FromSeconds(30));

        events.Failures().Should().NotBeEmpty();
        var pid = int.Parse(StandardOutput(events).Trim());
        (await GoneAsync(pid)).Should().BeTrue("cancelling the cell killed the program");
    }

    [Fact]
    public async Task out_puts_the_last_output_line_into_a_csharp_variable_as_json()
    {
        (await kernel.SubmitAsync("""
            #!python --out measured
            import json
            print("some other output first")
            print(json.dumps({"speedup": 1.5, "names": ["a", "b"]}))
            """)).ShouldSucceed();

        var events = (await kernel.SubmitAsync("""Console.Write(measured["speedup"].GetValue<double>() * 2 + measured["names"].AsArray().Count);""")).ShouldSucceed();

        StandardOutput(events).Should().Be("5");
    }

    [Fact]
    public async Task out_refuses_a_last_line_that_is_not_json()
    {
        var events = await kernel.SubmitAsync("#!python --out notJson\nprint('hello')");

        events.Failures().Should().ContainSingle().Which.Should().Contain("last line is not JSON").And.Contain("hello");
    }

    [Fact]
    public async Task without_python_the_cell_is_skipped_with_a_hint_and_out_is_null()
    {
        var events = (await kernel.SubmitAsync("""
            #!python --python /no/such/python3 --out missing
            print("never runs")
            """)).ShouldSucceed();

        var notice = events.Shown("text/plain").Should().ContainSingle(t => t.StartsWith("⏭")).Subject;
        notice.Should().Contain("/no/such/python3").And.Contain("apt-get install python3");
        var check = (await kernel.SubmitAsync("Console.Write(missing is null);")).ShouldSucceed();
        StandardOutput(check).Should().Be("True");
    }

    [Fact]
    public async Task timeline_streams_the_output_then_draws_a_lane_per_python_thread_with_the_share()
    {
        var events = (await kernel.SubmitAsync("""
            #!python --timeline --out result
            import json, threading
            def cpu():
                x = 0
                for i in range(1_000_000): x += i
            ts = [threading.Thread(target=cpu, name=f"counter-{i}") for i in range(2)]
            for t in ts: t.start()
            for t in ts: t.join()
            print(json.dumps({"threads": len(ts)}))
            """)).ShouldSucceed();

        StandardOutput(events).Should().Be("{\"threads\": 2}\n", "the prelude prints nothing of its own");
        var picture = events.Shown("text/html").Should().ContainSingle(h => h.Contains("threadbook-cpu-timeline")).Subject;
        picture.Should().Contain(">counter-0 OS ").And.Contain(">counter-1 OS ").And.Contain(">MainThread OS ");
        picture.Should().Contain("2+ on a CPU at once:").And.Contain("Two or more threads on a CPU at once:").And.NotContain("<script");
        (await kernel.SubmitAsync("result[\"threads\"].GetValue<int>()")).ShouldSucceed().Shown("text/html").Should().Contain(h => h.Contains('2'));
    }

    [Fact]
    public async Task without_timeline_no_picture_is_drawn()
    {
        var events = (await kernel.SubmitAsync("#!python\nprint('plain')")).ShouldSucceed();

        events.Shown("text/html").Should().NotContain(h => h.Contains("threadbook-cpu-timeline"));
    }

    [Theory]
    [InlineData("#!python --timelines", "--timelines")]
    [InlineData("#!python --timeout 0", "--timeout must be more than 0")]
    [InlineData("#!python --out 2x", "--out needs a C# variable name")]
    public async Task bad_options_are_refused(string magic, string message)
    {
        var events = await kernel.SubmitAsync(magic + "\nprint(1)");

        events.Failures().Should().Contain(f => f.Contains(message));
    }

    [Fact]
    public async Task the_csharp_kernel_never_compiles_a_python_cell()
    {
        var events = (await kernel.SubmitAsync("#!python\nprint('not C#' if True else None)")).ShouldSucceed();

        StandardOutput(events).Should().Contain("not C#");
        events.OfType<DiagnosticsProduced>().SelectMany(d => d.Diagnostics).Should().BeEmpty();
    }
}
