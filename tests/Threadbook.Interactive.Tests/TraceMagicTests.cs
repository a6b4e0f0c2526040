using System.Text.Json;
using System.Xml.Linq;
using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

public class TraceMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    private static string StandardOutput(IEnumerable<KernelEvent> events) =>
        string.Concat(events.OfType<StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));

    private static XElement TimelineOf(IEnumerable<KernelEvent> events)
    {
        var html = events.Shown("text/html").Should().ContainSingle(h => h.Contains("<svg")).Subject;
        var svg = html[html.IndexOf("<svg", StringComparison.Ordinal)..(html.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length)];
        return XElement.Parse(svg);
    }

    [Fact]
    public async Task trace_waits_for_the_cells_foreground_threads_and_draws_a_lane_for_each()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace
            var gate = new Threadbook.Threading.TracedRLock("shared gate");
            foreach (var name in new[] { "alpha", "beta" })
            {
                new System.Threading.Thread(() =>
                {
                    using (gate.Hold()) { System.Threading.Thread.Sleep(150); }
                    Console.WriteLine($"{name} finished");
                }) { Name = name }.Start();
            }
            """)).ShouldSucceed();

        StandardOutput(events).Should().Contain("alpha finished").And.Contain("beta finished", "the cell waited for its foreground threads");
        var svg = TimelineOf(events);
        var text = string.Concat(svg.DescendantNodes().OfType<XText>().Select(t => t.Value));
        text.Should().Contain("alpha").And.Contain("beta").And.Contain("shared gate");
        svg.ToString().Should().NotContain("<script");
        var summary = events.Shown("text/plain").Should().ContainSingle(t => t.Contains("shared gate")).Subject;
        summary.Should().Contain("alpha").And.Contain("beta");
    }

    [Fact]
    public async Task plain_lock_contention_shows_up_through_the_runtime_events()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace
            var plain = new object();
            var holders = Enumerable.Range(0, 2).Select(i => new System.Threading.Thread(() => { lock (plain) { System.Threading.Thread.Sleep(100); } }) { Name = $"plain-{i}" }).ToList();
            holders.ForEach(t => t.Start());
            holders.ForEach(t => t.Join());
            """)).ShouldSucceed();

        var summary = events.Shown("text/plain").Should().ContainSingle(t => t.Contains("plain-0")).Subject;
        summary.Should().Contain("lock (Monitor)", "one of the two threads had to wait for the plain lock");
    }

    [Fact]
    public async Task background_threads_are_not_waited_for_and_are_listed_as_still_running()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace --timeout 5
            new System.Threading.Thread(() => System.Threading.Thread.Sleep(3000)) { Name = "lingerer", IsBackground = true }.Start();
            """)).ShouldSucceed();

        var summary = events.Shown("text/plain").Should().ContainSingle(t => t.Contains("lingerer")).Subject;
        summary.Should().Contain("lingerer (#").And.Contain("a background thread: nobody waits for it");
    }

    [Fact]
    public async Task no_wait_shows_the_trace_as_soon_as_the_code_returns()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace --no-wait
            var slowpoke = new System.Threading.Thread(() => System.Threading.Thread.Sleep(2000)) { Name = "not-waited" };
            slowpoke.Start();
            """)).ShouldSucceed();

        var summary = events.Shown("text/plain").Should().ContainSingle(t => t.Contains("not-waited")).Subject;
        summary.Should().Contain("is still running (a foreground thread");
        (await kernel.SubmitAsync("slowpoke.Join();")).ShouldSucceed();
    }

    [Fact]
    public async Task export_writes_chrome_trace_json_with_a_name_for_every_thread()
    {
        var path = Path.Combine(Path.GetTempPath(), $"threadbook-trace-{Guid.NewGuid():N}.json");
        try
        {
            var events = (await kernel.SubmitAsync($$"""
                #!trace --export "{{path}}"
                var t = new System.Threading.Thread(() => System.Threading.Thread.Sleep(50)) { Name = "exported" };
                t.Start();
                """)).ShouldSucceed();

            events.Shown("text/plain").Should().Contain(t => t.Contains("Trace written to") && t.Contains(path));
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(path));
            var names = json.RootElement.GetProperty("traceEvents").EnumerateArray()
                .Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name")
                .Select(e => e.GetProperty("args").GetProperty("name").GetString())
                .ToList();
            names.Should().Contain(n => n!.Contains("exported"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task a_cell_that_fails_still_shows_its_trace()
    {
        var events = await kernel.SubmitAsync("""
            #!trace
            new System.Threading.Thread(() => System.Threading.Thread.Sleep(50)) { Name = "before-the-crash" }.Start();
            throw new InvalidOperationException("the cell fails");
            """);

        events.Failures().Should().ContainSingle().Which.Should().Contain("the cell fails");
        TimelineOf(events).ToString().Should().Contain("before-the-crash");
    }

    [Fact]
    public async Task a_two_lock_deadlock_ends_with_the_cycle_named_instead_of_hanging()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace --timeout 20
            var first = new Threadbook.Threading.TracedRLock("lock-1");
            var second = new Threadbook.Threading.TracedRLock("lock-2");
            var both = new System.Threading.Barrier(2);
            void Take(Threadbook.Threading.TracedRLock a, Threadbook.Threading.TracedRLock b)
            {
                try { using (a.Hold()) { both.SignalAndWait(); using (b.Hold()) { } } }
                catch (Threadbook.Threading.DeadlockException) { Console.WriteLine($"{System.Threading.Thread.CurrentThread.Name} unwound"); }
            }
            var x = new System.Threading.Thread(() => Take(first, second)) { Name = "dl-x" };
            var y = new System.Threading.Thread(() => Take(second, first)) { Name = "dl-y" };
            x.Start(); y.Start(); x.Join(); y.Join();
            display(Threadbook.Threading.DeadlockDetector.LastReport);
            """)).ShouldSucceed();

        StandardOutput(events).Should().Contain("unwound");
        events.Shown("text/plain").Should().Contain(t => t.StartsWith("Deadlock detected") && t.Contains("lock-1") && t.Contains("lock-2") && t.Contains("dl-x") && t.Contains("dl-y"));
        events.Shown("text/plain").Should().Contain(t => t.StartsWith("Trace") && t.Contains("dl-x") && t.Contains("dl-y"));
        TimelineOf(events).ToString().Should().Contain("DEADLOCK");
    }

    [Fact]
    public async Task the_trace_stays_in_the_variable_trace_or_the_one_out_names()
    {
        (await kernel.SubmitAsync("""
            #!trace
            var kept = new System.Threading.Thread(() => System.Threading.Thread.Sleep(20)) { Name = "kept-in-trace" };
            kept.Start();
            """)).ShouldSucceed();
        (await kernel.SubmitAsync("""
            #!trace --out second
            new System.Threading.Thread(() => { }) { Name = "kept-in-second" }.Start();
            """)).ShouldSucceed();

        var next = (await kernel.SubmitAsync("""
            Console.Write($"{trace.GetType().FullName} {trace.Threads.Any(t => t.Name == "kept-in-trace")} {second.Threads.Any(t => t.Name == "kept-in-second")} {trace.Threads.Any(t => t.Name == "kept-in-second")}");
            """)).ShouldSucceed();
        StandardOutput(next).Should().Be("Threadbook.Tracing.Trace True True False");
    }

    [Fact]
    public async Task a_failed_cell_and_a_cell_with_only_the_magic_keep_their_trace_too()
    {
        await kernel.SubmitAsync("""
            #!trace --out crashed
            new System.Threading.Thread(() => { }) { Name = "before-failing" }.Start();
            throw new InvalidOperationException("fails on purpose");
            """);
        (await kernel.SubmitAsync("#!trace --out nothing")).ShouldSucceed();

        var next = (await kernel.SubmitAsync("""Console.Write($"{crashed.Threads.Any(t => t.Name == "before-failing")} {nothing is not null}");""")).ShouldSucceed();
        StandardOutput(next).Should().Be("True True");
    }

    [Fact]
    public async Task cpu_draws_the_traced_threads_sampled_lanes_and_the_share_under_the_trace()
    {
        var events = (await kernel.SubmitAsync("""
            #!trace --cpu
            foreach (var name in new[] { "spinner-a", "spinner-b" })
            {
                new System.Threading.Thread(() =>
                {
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    while (clock.ElapsedMilliseconds < 300) { }
                }) { Name = name }.Start();
            }
            """)).ShouldSucceed();

        var pictures = events.Shown("text/html").Where(h => h.Contains("<svg")).ToArray();
        pictures.Should().HaveCount(2, "the trace's timeline, then the sampled CPU lanes");
        var cpu = pictures.Should().ContainSingle(h => h.Contains("threadbook-cpu-timeline")).Subject;
        var svg = XElement.Parse(cpu[cpu.IndexOf("<svg", StringComparison.Ordinal)..(cpu.IndexOf("</svg>", StringComparison.Ordinal) + "</svg>".Length)]);
        var text = string.Concat(svg.DescendantNodes().OfType<XText>().Select(t => t.Value));
        text.Should().Contain("spinner-a #").And.Contain("spinner-b #").And.Contain("2+ on a CPU at once:").And.Contain("on a CPU");
        cpu.Should().Contain("Two or more threads on a CPU at once:");
        svg.ToString().Should().NotContain("<script");
    }

    [Theory]
    [InlineData("#!trace --cpus", "--cpus")]
    [InlineData("#!trace --out class-name", "#!trace --out needs a C# variable name")]
    [InlineData("#!trace --timeout -1", "--timeout must be between 0 and 3600")]
    [InlineData("#!trace --timeout soon", "DNI106")]
    [InlineData("#!trace --export \"\"", "--export needs a file name")]
    public async Task bad_options_are_refused_with_a_clear_message(string magic, string message)
    {
        var events = await kernel.SubmitAsync(magic + "\n1");

        events.Failures().Should().Contain(f => f.Contains(message));
    }
}
