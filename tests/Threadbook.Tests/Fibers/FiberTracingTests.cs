using System.Xml.Linq;
using Threadbook.Fibers;
using Threadbook.Tracing;
using Threadbook.Tracing.Timeline;

namespace Threadbook.Tests.Fibers;

public class FiberTracingTests
{
    [Fact]
    public void fiber_switches_give_each_fiber_a_lane_that_runs_only_while_it_has_control()
    {
        Trace trace;
        int mainThread = 0, thread1 = 0, thread2 = 0;
        using (var recorder = TraceRecorder.Start("greenlet"))
        {
            OnFreshThread.Run(() =>
            {
                mainThread = Environment.CurrentManagedThreadId;
                Fiber? gr1 = null, gr2 = null;
                gr1 = new Fiber(() =>
                {
                    Thread.Sleep(2);
                    gr2!.Switch();
                    Thread.Sleep(2);
                    gr2!.Switch();
                }, "test1");
                gr2 = new Fiber(() =>
                {
                    Thread.Sleep(2);
                    gr1.Switch();
                    Thread.Sleep(2);
                }, "test2");
                gr1.Switch();
                thread1 = gr1.ManagedThreadId!.Value;
                thread2 = gr2.ManagedThreadId!.Value;
                gr1.Dispose();
            });
            trace = recorder.Stop();
        }

        trace.Threads.Select(t => t.Name).Should().Contain(["fiber test1", "fiber test2"]);
        var switches = trace.Events.Where(e => e.WaitKind == WaitKind.Switch).ToList();
        switches.Where(e => e.ThreadId == thread1 && e.Kind == TraceEventKind.WaitBegan).Should().HaveCount(2, "test1 switched away twice");
        switches.Where(e => e.ThreadId == thread1 && e.Kind == TraceEventKind.WaitEnded).Select(e => e.RelatedThreadId)
            .Should().Equal([thread2, mainThread], "test2 switched back to test1, then main killed it");
        trace.Events.Should().Contain(e => e.ThreadId == thread2 && e.Kind == TraceEventKind.ThreadStopped);
        trace.Objects.Values.Should().Contain(o => o.Kind == "Fiber" && o.Name == "test2");

        // Only one lane runs at a time: while a fiber runs, the other lanes are waiting.
        var layout = TimelineLayout.Of(trace);
        var lanes = new[] { mainThread, thread1, thread2 }.Select(layout.LaneOfThread).Select(i => layout.Lanes[i]).ToArray();
        var running = lanes.SelectMany(l => l.Segments.Where(s => s.State == LaneState.Running && s.Length > 0).Select(s => (l.Index, s.Begin, s.End))).ToList();
        foreach (var a in running)
        {
            running.Where(b => b.Index != a.Index).Should().NotContain(b => b.Begin < a.End - Slack && a.Begin < b.End - Slack,
                "two fibers of one thread never run at the same time");
        }

        var svg = XDocument.Parse(trace.ToSvg());
        svg.Descendants().Select(e => e.Value).Should().Contain(v => v.Contains("fiber test1"));
    }

    [Fact]
    public void hub_coroutines_each_get_a_lane_of_their_own_on_the_one_thread_that_runs_the_hub()
    {
        Trace trace;
        var runner = 0;
        using (var recorder = TraceRecorder.Start("gevent"))
        {
            OnFreshThread.Run(() =>
            {
                runner = Environment.CurrentManagedThreadId;
                var hub = new Hub();

                async Task Foo()
                {
                    using (TraceRecorder.Span("foo works"))
                    {
                        Thread.Sleep(1);
                    }

                    await Hub.Sleep(0);
                    Thread.Sleep(1);
                }

                async Task Bar()
                {
                    Thread.Sleep(1);
                    await Hub.Sleep(5);
                    Thread.Sleep(1);
                }

                hub.JoinAll([hub.Spawn(Foo), hub.Spawn(Bar)]);
            });
            trace = recorder.Stop();
        }

        var foo = trace.Threads.Single(t => t.Name.StartsWith("coroutine Foo", StringComparison.Ordinal));
        var bar = trace.Threads.Single(t => t.Name.StartsWith("coroutine Bar", StringComparison.Ordinal));
        foo.Name.Should().Contain($"thread #{runner}");
        new[] { foo.ThreadId, bar.ThreadId }.Should().OnlyContain(id => id < 0, "a coroutine lane is not a thread of its own");

        var fooEvents = trace.Events.Where(e => e.ThreadId == foo.ThreadId).ToList();
        fooEvents.Select(e => e.Kind).Should().StartWith([TraceEventKind.ThreadStarted, TraceEventKind.SpanBegan, TraceEventKind.SpanEnded])
            .And.EndWith(TraceEventKind.ThreadStopped);
        fooEvents.Should().Contain(e => e.Kind == TraceEventKind.WaitBegan && e.WaitKind == WaitKind.Switch);
        trace.Events.Should().Contain(e => e.ThreadId == bar.ThreadId && e.Kind == TraceEventKind.WaitBegan && e.WaitKind == WaitKind.Sleep);
        trace.Events.Where(e => e.ThreadId == runner && e.WaitKind == WaitKind.Switch && e.Kind == TraceEventKind.WaitEnded)
            .Select(e => e.RelatedThreadId).Should().Contain([foo.ThreadId, bar.ThreadId], "the hub's thread waits while a coroutine has its turn");

        var layout = TimelineLayout.Of(trace);
        layout.Lanes[layout.LaneOfThread(foo.ThreadId)].Spans.Should().ContainSingle(s => s.Label == "foo works");
        var svg = XDocument.Parse(trace.ToSvg());
        svg.Descendants().Select(e => e.Value).Should().Contain(v => v.Contains("coroutine Foo"));
    }

    private static readonly long Slack = System.Diagnostics.Stopwatch.Frequency / 10_000; // 0.1 ms: two timestamps on different threads
}
