using Threadbook.Fibers;
using Threadbook.Rendering;

namespace Threadbook.Tests.Fibers;

public class FiberRenderingTests
{
    private const int MaxRenderedLength = 2048;

    [Fact]
    public void a_fiber_shows_its_name_state_parent_and_thread()
    {
        OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var fiber = new Fiber(() => main.Switch(), "worker");
            fiber.ToText().Should().Contain("worker").And.Contain("not started").And.Contain("main of").And.Contain("none yet");

            fiber.Switch();
            fiber.ToText().Should().Contain("suspended").And.Contain("fiber worker");
            fiber.ToHtml().Should().StartWith("<table>").And.Contain("<td>suspended</td>");

            fiber.Dispose();
            fiber.ToText().Should().Contain("dead (exited)");
            fiber.ToString().Should().Be("Fiber 'worker': dead (exited)");
            main.ToText().Should().Contain("running").And.Contain("none (main)");
        });
    }

    [Fact]
    public void a_hub_shows_its_coroutines_and_their_states()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub("web") { ReportFailures = false };
            var sleeper = hub.Spawn(async () => await Hub.Sleep(TimeSpan.FromMinutes(5)), "sleeper");
            var done = hub.Spawn(async () => await Hub.Sleep(0), "quick");
            var broken = hub.Spawn(() => Task.FromException(new InvalidOperationException()), "broken");
            hub.ToText().Should().Contain("sleeper").And.Contain("pending").And.Contain("not run yet");

            hub.JoinAll([done, broken]);

            var text = hub.ToText();
            text.Should().Contain("hub 'web'").And.Contain("1 live (1 suspended)").And.Contain("1 succeeded, 1 faulted")
                .And.Contain("sleeper").And.Contain("suspended").And.Contain($"thread #{Environment.CurrentManagedThreadId}");
            hub.ToHtml().Should().StartWith("<table>").And.Contain("<td>sleeper</td>");
            broken.ToText().Should().Contain("faulted (InvalidOperationException)");
            sleeper.ToHtml().Should().Contain("<td>suspended</td>");
        });
    }

    [Fact]
    public void views_stay_under_two_kilobytes_with_long_names_and_many_coroutines()
    {
        OnFreshThread.Run(() =>
        {
            var longName = new string('<', 5_000);
            var hub = new Hub(longName);
            var coroutines = Enumerable.Range(0, 200).Select(i => hub.Spawn(async () => await Hub.Sleep(0), $"{longName}{i}")).ToList();
            var fiber = new Fiber(() => { }, longName);

            IRenderable[] everything = [hub, coroutines[0], fiber, Fiber.Current];
            foreach (var renderable in everything)
            {
                renderable.ToHtml().Length.Should().BeLessThan(MaxRenderedLength);
                renderable.ToText().Length.Should().BeLessThan(MaxRenderedLength);
            }

            hub.ToText().Should().Contain("and 194 more");
            hub.JoinAll(coroutines);
        });
    }
}
