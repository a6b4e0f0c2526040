using Threadbook.Tracing;

namespace Threadbook.Tests.Tracing;

/// <summary>The engine used from a plain program: no notebook, no kernel.</summary>
public class TracedRunTests
{
    [Fact]
    public void a_run_finds_the_threads_its_code_starts_and_waits_for_the_foreground_ones()
    {
        var finished = false;
        using var run = TracedRun.Start("console demo", runtimeEvents: false);
        new Thread(() => { Thread.Sleep(200); finished = true; }) { Name = "fg-worker" }.Start();
        new Thread(() => Thread.Sleep(5000)) { Name = "bg-worker", IsBackground = true }.Start();

        var result = run.Finish(TimeSpan.FromSeconds(10));

        finished.Should().BeTrue("Finish waited for the foreground thread although the code never joined it");
        result.Threads.Finished.Select(t => t.Name).Should().Contain("fg-worker");
        result.Threads.Background.Select(t => t.Name).Should().Contain("bg-worker");
        result.Trace.Threads.Select(t => t.Name).Should().Contain(["fg-worker", "bg-worker"]);
        result.Trace.Notes.Should().Contain(n => n.Contains("bg-worker") && n.Contains("background"));
        var (start, end) = result.Trace.LifetimeOf(result.Trace.Threads.Single(t => t.Name == "fg-worker"));
        (end - start).Should().BeGreaterThan(TimeSpan.FromMilliseconds(150), "the lane lasts as long as the thread lived");
    }

    [Fact]
    public void plain_lock_contention_is_seen_through_the_runtime_events()
    {
        var gate = new object();
        using var run = TracedRun.Start("plain lock");
        var holders = Enumerable.Range(0, 2)
            .Select(i => new Thread(() => { lock (gate) { Thread.Sleep(100); } }) { Name = $"holder-{i}" })
            .ToList();
        holders.ForEach(t => t.Start());
        holders.ForEach(t => t.Join());

        var trace = run.Finish(TimeSpan.FromSeconds(5)).Trace;

        var waits = trace.Events.Where(e => e is { Kind: TraceEventKind.WaitEnded, WaitKind: WaitKind.RuntimeLock }).ToList();
        waits.Should().NotBeEmpty("one holder had to wait for the other");
        var holderIds = trace.Threads.Where(t => t.Name.StartsWith("holder-")).Select(t => t.ThreadId).ToList();
        waits.Should().Contain(w => holderIds.Contains(w.ThreadId) && holderIds.Contains(w.RelatedThreadId) && w.ThreadId != w.RelatedThreadId,
            "the waiter was woken by the other holder");
        trace.ObjectName(waits[0].ObjectId).Should().StartWith("lock (Monitor)");
    }

    [Fact]
    public void only_one_recording_at_a_time()
    {
        using var first = TraceRecorder.Start("first");

        var second = () => TraceRecorder.Start("second");

        second.Should().Throw<InvalidOperationException>().WithMessage("*(\"first\") is already being recorded*");
    }

    [Fact]
    public void without_a_recording_recording_calls_do_nothing()
    {
        TraceRecorder.Active.Should().BeNull();

        TraceRecorder.Mark("nobody listens");
        using (TraceRecorder.Span("nor here"))
        {
        }

        TraceRecorder.Active.Should().BeNull();
    }
}
