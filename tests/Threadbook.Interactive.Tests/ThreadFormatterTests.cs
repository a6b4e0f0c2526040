using System.Text;

namespace Threadbook.Interactive.Tests;

public class ThreadFormatterTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    public static TheoryData<string, string, string> ThreadsInEveryState => new()
    {
        { "unstarted", """new System.Threading.Thread(() => { }) { Name = "t-unstarted" }""", "Unstarted" },
        { "current", """System.Threading.Thread.CurrentThread""", "(the calling thread)" },
        {
            "ended",
            """
            var t = new System.Threading.Thread(() => { }) { Name = "t-ended" };
            t.Start(); t.Join();
            t
            """,
            "n/a (thread ended)"
        },
        {
            "running",
            """
            var gate = new System.Threading.ManualResetEventSlim();
            var r = new System.Threading.Thread(() => gate.Wait()) { Name = "t-running", IsBackground = true };
            r.Start();
            display(r);
            gate.Set(); r.Join();
            """,
            "t-running"
        },
    };

    [Theory]
    [MemberData(nameof(ThreadsInEveryState))]
    public async Task a_thread_in_any_state_is_shown_compactly_in_html_and_text(string state, string code, string expected)
    {
        var events = (await kernel.SubmitAsync(code)).ShouldSucceed();

        var html = events.Shown("text/html").Should().ContainSingle($"one {state} thread is shown").Subject;
        var text = events.Shown("text/plain").Should().ContainSingle().Subject;
        foreach (var rendering in new[] { html, text })
        {
            rendering.Should().Contain(expected).And.Contain("managed id").And.Contain("background").And.NotContain("could not be shown");
            Encoding.UTF8.GetByteCount(rendering).Should().BeLessThan(2048);
        }

        html.Should().StartWith("<table>");
    }
}
