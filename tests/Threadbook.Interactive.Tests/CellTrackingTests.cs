using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

/// <summary>The output model: thread output in its cell, late output kept, thread exceptions survived.</summary>
public class CellTrackingTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    private static string StandardOutput(IEnumerable<KernelEvent> events) =>
        string.Concat(events.OfType<StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));

    // A cell publishes the thread it started (AppContext.SetData; the kernel runs in this process), so a test waits for
    // the thread itself, without running a cell (a cell would show the late output) and without guessing a delay.
    private static async Task UntilThreadAsync(string key, Func<Thread, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (AppContext.GetData(key) is not Thread thread || !done(thread))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out after 30 s waiting until {what}.");
            }

            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task output_from_a_thread_lands_in_its_cell_while_the_cell_waits_for_it()
    {
        var events = (await kernel.SubmitAsync("""
            var writer = new System.Threading.Thread(() => Console.WriteLine("from the worker")) { Name = "worker" };
            writer.Start();
            writer.Join();
            """)).ShouldSucceed();

        StandardOutput(events).Should().Contain("from the worker");
    }

    [Fact]
    public async Task output_written_after_its_cell_ended_is_shown_at_the_top_of_the_next_cell()
    {
        (await kernel.SubmitAsync("""
            var slow = new System.Threading.Thread(() => { System.Threading.Thread.Sleep(400); Console.WriteLine("late line"); }) { Name = "slowpoke", IsBackground = true };
            AppContext.SetData("test.slowpoke", slow);
            slow.Start();
            """)).ShouldSucceed();
        await UntilThreadAsync("test.slowpoke", t => !t.IsAlive, "the slowpoke wrote its line and ended");

        var next = (await kernel.SubmitAsync("\"next cell\"")).ShouldSucceed();

        var text = next.Shown("text/plain").Should().Contain(t => t.Contains("late line")).Subject;
        text.Should().Contain("Output that arrived after its cell had ended").And.Contain("slowpoke");
        next.Shown("text/html").Should().Contain(h => h.Contains("late line") && h.Contains("slowpoke"));
        ExtensionKernel.ProcessStdout.ToString().Should().NotContain("late line", "late output must never leak onto the kernel process's stdout");
    }

    [Fact]
    public async Task output_written_while_another_cell_runs_is_kept_for_the_cell_after()
    {
        (await kernel.SubmitAsync("""
            var overlapping = new System.Threading.Thread(() => { System.Threading.Thread.Sleep(300); Console.WriteLine("written during another cell"); }) { Name = "overlapper" };
            overlapping.Start();
            """)).ShouldSucceed();

        var during = (await kernel.SubmitAsync("System.Threading.Thread.Sleep(900); Console.WriteLine(\"own output\");")).ShouldSucceed();
        var after = (await kernel.SubmitAsync("\"after\"")).ShouldSucceed();

        StandardOutput(during).Should().Contain("own output").And.NotContain("written during another cell");
        var all = during.Shown("text/plain").Concat(after.Shown("text/plain"));
        all.Should().Contain(t => t.Contains("written during another cell") && t.Contains("overlapper"));
    }

    [Fact]
    public async Task a_display_after_the_cell_ended_is_kept_too()
    {
        (await kernel.SubmitAsync("""
            var displayer = new System.Threading.Thread(() => { System.Threading.Thread.Sleep(300); display("a late display"); }) { IsBackground = true };
            AppContext.SetData("test.displayer", displayer);
            displayer.Start();
            """)).ShouldSucceed();
        await UntilThreadAsync("test.displayer", t => !t.IsAlive, "the displayer displayed and ended");

        var next = (await kernel.SubmitAsync("1")).ShouldSucceed();

        next.Shown("text/plain").Should().Contain(t => t.Contains("a late display"));
    }

    [Fact]
    public async Task an_exception_in_a_thread_is_reported_in_its_cell_and_the_kernel_lives_on()
    {
        var events = (await kernel.SubmitAsync("""
            var crasher = new System.Threading.Thread(() => throw new InvalidOperationException("boom in a thread")) { Name = "crasher" };
            crasher.Start();
            System.Threading.Thread.Sleep(500);
            Console.WriteLine("the cell went on");
            """)).ShouldSucceed();

        var report = events.Shown("text/plain").Should().ContainSingle(t => t.Contains("Exception in thread crasher")).Subject;
        report.Should().Contain("System.InvalidOperationException: boom in a thread").And.Contain("kept the process alive");
        StandardOutput(events).Should().Contain("the cell went on");

        var next = (await kernel.SubmitAsync("40 + 2")).ShouldSucceed();
        next.Shown("text/html").Should().ContainSingle().Which.Should().Contain("42");
    }

    [Fact]
    public async Task an_exception_after_the_cell_ended_is_reported_in_the_next_cell()
    {
        (await kernel.SubmitAsync("""
            var lateCrasher = new System.Threading.Thread(() => { System.Threading.Thread.Sleep(300); throw new ArgumentException("late boom"); }) { Name = "late-crasher" };
            AppContext.SetData("test.late-crasher", lateCrasher);
            lateCrasher.Start();
            """)).ShouldSucceed();
        // The safety net reports the exception, then parks the dying thread as a background thread.
        await UntilThreadAsync("test.late-crasher", t => t.IsBackground, "the late crasher's exception was reported and the thread parked");

        var next = (await kernel.SubmitAsync("\"still alive\"")).ShouldSucceed();

        next.Shown("text/plain").Should().Contain(t => t.Contains("Exception in thread late-crasher") && t.Contains("late boom"));
        next.Shown("text/plain").Should().Contain("still alive");
    }
}
