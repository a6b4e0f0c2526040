using System.Collections.Concurrent;
using Threadbook.Threading;
using static Threadbook.Tests.Conformance.LockTestTiming;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>lock_tests.EventTests on <see cref="TracedEvent"/>, Python's <c>threading.Event</c>.</summary>
[Trait("Category", "Conformance")]
public class EventTests
{
    [Fact]
    public void EventTests_test_is_set()
    {
        var evt = new TracedEvent();
        evt.IsSet.Should().BeFalse();
        evt.Set();
        evt.IsSet.Should().BeTrue();
        evt.Set();
        evt.IsSet.Should().BeTrue();
        evt.Clear();
        evt.IsSet.Should().BeFalse();
        evt.Clear();
        evt.IsSet.Should().BeFalse();
    }

    [Fact]
    public void EventTests_test_notify()
    {
        var evt = new TracedEvent();
        CheckNotify(evt);
        // Another time, after an explicit clear()
        evt.Set();
        evt.Clear();
        CheckNotify(evt);
    }

    [Fact]
    public void EventTests_test_timeout()
    {
        var evt = new TracedEvent();
        var results1 = new ConcurrentQueue<bool>();
        var results2 = new ConcurrentQueue<(bool Result, TimeSpan Elapsed)>();
        const int N = 5;
        void F()
        {
            results1.Enqueue(evt.Wait(TimeSpan.Zero));
            var result = false;
            var elapsed = Time(() => result = evt.Wait(TimeSpan.FromSeconds(0.5)));
            results2.Enqueue((result, elapsed));
        }

        Bunch.Run(F, N);
        results1.Should().Equal(Enumerable.Repeat(false, N));
        foreach (var (result, elapsed) in results2)
        {
            result.Should().BeFalse();
            AssertTimeout(elapsed, TimeSpan.FromSeconds(0.5));
        }

        // The event is set
        results1.Clear();
        results2.Clear();
        evt.Set();
        Bunch.Run(F, N);
        results1.Should().Equal(Enumerable.Repeat(true, N));
        results2.Select(r => r.Result).Should().AllSatisfy(result => result.Should().BeTrue());
    }

    [Fact]
    public void EventTests_test_set_and_clear()
    {
        // gh-57711: wait() returns true even when the event is cleared before the waiting thread is woken up.
        var evt = new TracedEvent();
        var results = new ConcurrentQueue<bool>();
        const int N = 5;
        Bunch.Run(() => results.Enqueue(evt.Wait(LongTimeout)), N, _ =>
        {
            // Threads blocked on event.wait()
            WaitThreadsBlocked(N);

            // Threads unblocked
            evt.Set();
            evt.Clear();
        });
        results.Should().Equal(Enumerable.Repeat(true, N));
    }

    private static void CheckNotify(TracedEvent evt)
    {
        // All threads get notified
        const int N = 5;
        var results1 = new ConcurrentQueue<bool>();
        var results2 = new ConcurrentQueue<bool>();
        Bunch.Run(() =>
        {
            results1.Enqueue(evt.Wait());
            results2.Enqueue(evt.Wait());
        }, N, _ =>
        {
            // Threads blocked on first evt.wait()
            WaitThreadsBlocked(N);
            results1.Should().BeEmpty();

            // Threads unblocked
            evt.Set();
        });
        results1.Should().Equal(Enumerable.Repeat(true, N));
        results2.Should().Equal(Enumerable.Repeat(true, N));
    }
}
