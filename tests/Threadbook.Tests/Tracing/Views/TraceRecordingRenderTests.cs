using System.Text.Json;
using System.Xml.Linq;
using Threadbook.Tracing;

namespace Threadbook.Tests.Tracing;

public class TraceRecordingRenderTests
{
    [Fact]
    public void a_trace_recorded_from_two_real_threads_renders_as_svg_json_and_summary()
    {
        Trace trace;
        using (var recorder = TraceRecorder.Start("two real threads"))
        {
            var threads = new[] { "producer", "consumer" }.Select(name => new Thread(() =>
            {
                TraceRecorder.RecordThreadStarted(Thread.CurrentThread);
                using (TraceRecorder.Span($"{name} works"))
                {
                    TraceRecorder.Mark($"{name} halfway");
                    Thread.Sleep(5);
                }

                TraceRecorder.Record(TraceEventKind.ThreadStopped);
            }) { Name = name }).ToArray();
            foreach (var thread in threads)
            {
                thread.Start();
            }

            foreach (var thread in threads)
            {
                thread.Join();
            }

            trace = recorder.Stop();
        }

        var svg = XDocument.Parse(trace.ToSvg()).Root!;
        using var json = JsonDocument.Parse(trace.ToChromeTraceJson());
        var text = trace.ToText();
        var html = trace.ToHtml();

        var lanes = svg.Descendants().Where(e => (string?)e.Attribute("class") == "tb-lane-label").Select(e => e.Value).ToArray();
        lanes.Should().HaveCount(2).And.Contain(l => l.Contains("producer")).And.Contain(l => l.Contains("consumer"));
        svg.Descendants().Select(e => e.Value).Should().Contain(v => v.Contains("producer halfway"));
        json.RootElement.GetProperty("traceEvents").EnumerateArray()
            .Count(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("name").GetString() == "consumer works").Should().Be(1);
        text.Should().Contain("producer").And.Contain("consumer").And.Contain("stopped");
        html.Should().StartWith("<div class=\"threadbook-trace\"><svg");
    }
}
