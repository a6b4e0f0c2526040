using System.Net;
using System.Text;
using System.Threading.Channels;
using Microsoft.DotNet.Interactive.Formatting;

namespace Threadbook.Interactive.Tests;

public class ConcurrencyFormatterTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    /// <summary>A cell per type and odd state, as a learner would write it, and fragments of what they must see.</summary>
    public static TheoryData<string, string, string[]> CellsShowingEachType => new()
    {
        { "Task.FromResult", "Task.FromResult(42)", ["Task<int> #", "RanToCompletion", "42"] },
        {
            "Task.Run, still running",
            """
            var gate = new System.Threading.ManualResetEventSlim();
            var running = Task.Run(() => { gate.Wait(); return 7; });
            display(running);
            gate.Set();
            await running;
            """,
            ["Task<int> #", "not yet: the task has not finished"]
        },
        {
            "an async method's task (an internal Task<T> subclass)",
            """
            async Task WorkAsync() => await Task.Yield();
            var work = WorkAsync();
            await work;
            work
            """,
            ["Task #", "none (a Task without a result)"]
        },
        { "faulted Task", """Task.FromException<int>(new InvalidOperationException("<boom>"))""", ["Faulted", "InvalidOperationException: <boom>"] },
        { "canceled Task", "Task.FromCanceled(new System.Threading.CancellationToken(true))", ["Canceled", "TaskCanceledException"] },
        { "ValueTask<int>", "new ValueTask<int>(42)", ["ValueTask<int>", "an inline result", "42"] },
        { "ValueTask", "ValueTask.CompletedTask", ["ValueTask", "none (a ValueTask without a result)"] },
        { "running Process", "System.Diagnostics.Process.GetCurrentProcess()", ["(this process)", "working set", "MiB"] },
        {
            "exited Process",
            """
            var child = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh", ["-c", "exit 3"]));
            child.WaitForExit();
            child
            """,
            ["no: it has exited", "exit code", "n/a (exited)"]
        },
        { "never started Process", "new System.Diagnostics.Process()", ["unknown: no process is associated (never started, or disposed)"] },
        {
            "disposed Process",
            """
            var gone = System.Diagnostics.Process.Start("sh", "-c true");
            gone.WaitForExit();
            gone.Dispose();
            gone
            """,
            ["unknown: no process is associated"]
        },
        { "Lock", "new System.Threading.Lock()", ["System.Threading.Lock", "held by another thread", "not exposed by .NET"] },
        { "Mutex", "new System.Threading.Mutex()", ["Mutex", "WaitOne(0) would acquire it"] },
        { "disposed Mutex", "var m = new System.Threading.Mutex(); m.Dispose(); m", ["closed (disposed)"] },
        { "Semaphore", "new System.Threading.Semaphore(1, 2)", ["Semaphore", "WaitOne(0) would take a slot"] },
        { "ManualResetEvent", "new System.Threading.ManualResetEvent(true)", ["ManualResetEvent", "leaves a manual-reset event as it is"] },
        { "AutoResetEvent", "new System.Threading.AutoResetEvent(true)", ["AutoResetEvent", "WaitOne(0) would reset it"] },
        { "SemaphoreSlim", "new System.Threading.SemaphoreSlim(2)", ["SemaphoreSlim", "current count"] },
        { "disposed SemaphoreSlim", "var s = new System.Threading.SemaphoreSlim(2); s.Dispose(); s", ["a disposed SemaphoreSlim still answers CurrentCount"] },
        { "ReaderWriterLockSlim", "new System.Threading.ReaderWriterLockSlim()", ["ReaderWriterLockSlim", "answer for the calling thread only"] },
        { "ManualResetEventSlim", "new System.Threading.ManualResetEventSlim(true)", ["ManualResetEventSlim", "spin count"] },
        { "disposed ManualResetEventSlim", "var e = new System.Threading.ManualResetEventSlim(); e.Dispose(); e", ["ManualResetEventSlim", "disposed"] },
        { "CountdownEvent", "new System.Threading.CountdownEvent(3)", ["CountdownEvent", "signals still needed"] },
        { "Barrier", "new System.Threading.Barrier(2)", ["Barrier", "current phase"] },
        { "CancellationTokenSource", "new System.Threading.CancellationTokenSource()", ["CancellationTokenSource", "cancellation requested"] },
        {
            "canceled and disposed CancellationTokenSource",
            "var cts = new System.Threading.CancellationTokenSource(); cts.Cancel(); cts.Dispose(); cts",
            ["CancellationTokenSource", "unknown (disposed)"]
        },
        { "CancellationToken", "System.Threading.CancellationToken.None", ["CancellationToken", "no: nothing can cancel it"] },
        { "bounded Channel", "System.Threading.Channels.Channel.CreateBounded<int>(5)", ["BoundedChannel<int> (channel)", "items waiting"] },
        {
            "completed Channel",
            "var done = System.Threading.Channels.Channel.CreateUnbounded<string>(); done.Writer.Complete(); done",
            ["UnboundedChannel<string> (channel)", "yes: the writer completed and every item was read"]
        },
        { "ChannelReader", "System.Threading.Channels.Channel.CreateBounded<int>(5).Reader", ["(reader)", "items waiting"] },
        { "ChannelWriter", "System.Threading.Channels.Channel.CreateBounded<int>(5).Writer", ["(writer)", "not exposed by a ChannelWriter"] },
        {
            "Timer",
            """
            var timer = new System.Threading.Timer(_ => { }, null, System.Threading.Timeout.Infinite, System.Threading.Timeout.Infinite);
            display(timer);
            timer.Dispose();
            """,
            ["System.Threading.Timer", "due time and period"]
        },
        { "thread pool counters", "Threadbook.Introspection.ThreadPoolCounters.Capture()", ["Thread pool", "pool threads"] },
    };

    [Theory]
    [MemberData(nameof(CellsShowingEachType))]
    public async Task each_concurrency_type_is_shown_compactly_in_html_and_text(string what, string code, string[] fragments)
    {
        var events = (await kernel.SubmitAsync(code)).ShouldSucceed();

        var html = events.Shown("text/html").Should().ContainSingle($"one {what} is shown").Subject;
        var text = events.Shown("text/plain").Should().ContainSingle($"the {what} has a plain-text twin").Subject;
        html.Should().StartWith("<table>").And.NotContain("could not be shown");
        text.Should().NotContain("could not be shown").And.NotContain("<table>");
        Encoding.UTF8.GetByteCount(html).Should().BeLessThan(2048);
        Encoding.UTF8.GetByteCount(text).Should().BeLessThan(2048);
        foreach (var fragment in fragments)
        {
            text.Should().Contain(fragment);
            html.Should().Contain(WebUtility.HtmlEncode(fragment));
        }
    }

    [Fact]
    public async Task the_most_specific_registration_serves_generic_types_and_internal_subclasses()
    {
        var channel = Channel.CreateBounded<int>(5);
        async Task WorkAsync() => await Task.Yield();
        var asyncTask = WorkAsync();
        await asyncTask;

        // The kernel's load registered the formatters; these are the runtime types a cell's values have.
        FormatterTypeFor(typeof(Task<int>)).Should().Be(typeof(Task<>));
        FormatterTypeFor(asyncTask.GetType()).Should().Be(typeof(Task<>), "an async method's task is an internal subclass of Task<T>");
        FormatterTypeFor(typeof(Task)).Should().Be<Task>();
        FormatterTypeFor(typeof(ValueTask<string>)).Should().Be(typeof(ValueTask<>));
        FormatterTypeFor(channel.GetType()).Should().Be(typeof(Channel<,>), "BoundedChannel<int> is internal");
        FormatterTypeFor(channel.Reader.GetType()).Should().Be(typeof(ChannelReader<>));
        FormatterTypeFor(typeof(AutoResetEvent)).Should().Be<WaitHandle>();
        Formatter.GetPreferredMimeTypesFor(channel.GetType()).Should().Equal("text/html", "text/plain");
        kernel.Kernel.Should().NotBeNull();
    }

    private static Type FormatterTypeFor(Type actualType) => Formatter.GetPreferredFormatterFor(actualType, "text/html").Type;
}
