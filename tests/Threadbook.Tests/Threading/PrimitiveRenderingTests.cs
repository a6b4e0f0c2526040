using Threadbook.Rendering;
using Threadbook.Threading;

namespace Threadbook.Tests.Threading;

public class PrimitiveRenderingTests
{
    private const int MaxRenderedLength = 2048;

    [Fact]
    public void every_primitive_shows_its_name_kind_and_state()
    {
        var rlock = new TracedRLock("r");
        rlock.Acquire();
        rlock.Acquire();
        var flag = new TracedEvent("e");
        flag.Set();
        var semaphore = new TracedSemaphore(1, maxCount: 3, name: "s");
        var condition = new TracedCondition(name: "c");

        try
        {
            rlock.ToText().Should().Contain("RLock").And.Contain("held by").And.Contain("recursion 2");
            new TracedLock("l").ToText().Should().Contain("Lock").And.Contain("unlocked");
            flag.ToText().Should().Contain("Event").And.Contain("set");
            semaphore.ToText().Should().Contain("count 1 of max 3");
            condition.ToText().Should().Contain("Condition").And.Contain("lock 'c.lock' free");
            rlock.ToHtml().Should().StartWith("<table>").And.Contain("<td>RLock</td>");
        }
        finally
        {
            rlock.Release();
            rlock.Release();
        }
    }

    [Fact]
    public void rendering_stays_under_two_kilobytes_with_long_names_and_many_waiters()
    {
        var longName = new string('x', 5_000);
        var rlock = new TracedRLock(longName);
        var flag = new TracedEvent(longName);
        rlock.Acquire();
        var waiters = Enumerable.Range(0, 8).Select(i => TestThread.Start($"{new string('w', 300)}-{i}", () =>
        {
            rlock.Acquire();
            rlock.Release();
            flag.Wait(TestThread.JoinTimeout);
        })).ToArray();
        try
        {
            Eventually.True(() => rlock.WaiterCount == 8, "all eight threads wait");

            IRenderable[] everything =
                [rlock, flag, new TracedLock(longName), new TracedSemaphore(1, 2, longName), new TracedCondition(rlock, longName)];
            foreach (var renderable in everything)
            {
                renderable.ToHtml().Length.Should().BeLessThan(MaxRenderedLength);
                renderable.ToText().Length.Should().BeLessThan(MaxRenderedLength);
            }

            rlock.ToText().Should().Contain("and 3 more");
        }
        finally
        {
            rlock.Release();
            flag.Set();
            TestThread.JoinAll(waiters);
        }
    }

    [Fact]
    public void rendering_never_throws_while_other_threads_use_the_primitive()
    {
        var rlock = new TracedRLock("busy");
        var semaphore = new TracedSemaphore(2, 2, "busy-sem");
        var condition = new TracedCondition(rlock, "busy-cv");
        var stop = new TracedEvent("stop");
        var users = Enumerable.Range(0, 2).Select(i => TestThread.Start($"user-{i}", () =>
        {
            while (!stop.IsSet)
            {
                using (rlock.Hold())
                using (semaphore.Hold())
                {
                    condition.NotifyAll();
                }
            }
        })).ToArray();
        try
        {
            for (var i = 0; i < 2_000; i++)
            {
                rlock.ToHtml().Should().NotBeNullOrEmpty();
                rlock.ToText().Should().NotBeNullOrEmpty();
                semaphore.ToText().Should().NotBeNullOrEmpty();
                condition.ToHtml().Should().NotBeNullOrEmpty();
            }
        }
        finally
        {
            stop.Set();
            TestThread.JoinAll(users);
        }

        users.Select(user => user.Exception).Should().AllSatisfy(exception => exception.Should().BeNull());
    }
}
