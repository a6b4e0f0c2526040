using Threadbook.Processes;
using Threadbook.Tracing;

namespace Threadbook.Tests.Processes;

public class ProcessTracingTests
{
    [Fact]
    public void a_trace_of_pool_work_has_a_lane_per_worker_process_with_its_task_spans()
    {
        Trace trace;
        int[] workers;
        using (var recorder = TraceRecorder.Start("pool"))
        {
            using var pool = new ProcessPool(2);
            // Both connected first: a worker still starting would leave all the work to the other (and no spans in its lane).
            Eventually.True(() => pool.Snapshot().Workers.All(w => w.State == PoolWorkerState.Idle), "both workers are ready");
            pool.Map<int, int>(Jobs.SleepThenReturn, [30, 30, 30, 30]);
            workers = [.. pool.WorkerProcessIds];
            pool.Close();
            pool.Join();
            trace = recorder.Stop();
        }

        foreach (var pid in workers)
        {
            var lane = trace.Threads.Select((thread, index) => (thread, index)).Single(t => t.thread.Name == $"worker process {pid}").index;
            var spans = trace.Events.Where(e => trace.LaneOf(e) == lane && e.Kind == TraceEventKind.SpanBegan).ToList();
            spans.Should().NotBeEmpty("worker {0} ran tasks", pid);
            spans.Should().AllSatisfy(e => e.Label.Should().Be("SleepThenReturn(30)"));
            trace.Events.Count(e => trace.LaneOf(e) == lane && e.Kind == TraceEventKind.SpanEnded).Should().Be(spans.Count);
            trace.Events.Should().Contain(e => trace.LaneOf(e) == lane && e.Kind == TraceEventKind.ThreadStarted);
            trace.Events.Should().Contain(e => trace.LaneOf(e) == lane && e.Kind == TraceEventKind.ThreadStopped);
        }

        trace.Events.Count(e => e.Kind == TraceEventKind.SpanBegan && e.Label == "SleepThenReturn(30)").Should().Be(4);
        trace.Events.Count(e => e.Kind == TraceEventKind.Mark && e.Label == "submit SleepThenReturn(30)").Should().Be(4);
    }

    [Fact]
    public void a_traced_childs_run_is_a_span_on_its_own_lane()
    {
        Trace trace;
        ChildProcess child;
        using (var recorder = TraceRecorder.Start("child"))
        {
            child = ChildProcess.Start(Jobs.SleepThenReturn, 20);
            child.Join();
            trace = recorder.Stop();
        }

        trace.Threads.Select(t => t.Name).Should().Contain($"process {child.Pid} (SleepThenReturn(20))");
        var lane = trace.Threads.Select((thread, index) => (thread, index)).Single(t => t.thread.Name == $"process {child.Pid} (SleepThenReturn(20))").index;
        trace.Events.Where(e => trace.LaneOf(e) == lane).Select(e => e.Kind).Should()
            .ContainInOrder(TraceEventKind.ThreadStarted, TraceEventKind.SpanBegan, TraceEventKind.SpanEnded, TraceEventKind.ThreadStopped);
    }
}
