using Threadbook.Fibers;
using Threadbook.Tests.Threading;

namespace Threadbook.Tests.Fibers;

public class FiberThreadTests
{
    [Fact]
    public void each_started_fiber_runs_on_a_background_thread_of_its_own()
    {
        var (mainThread, fiberThreads, background) = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var seen = new List<int>();
            var allBackground = true;
            var fibers = Enumerable.Range(0, 3).Select(i => new Fiber(() =>
            {
                seen.Add(Environment.CurrentManagedThreadId);
                allBackground &= Thread.CurrentThread.IsBackground;
            })).ToList();
            fibers.ForEach(f => f.Switch());
            fibers.ForEach(f => f.Dispose());
            return (Environment.CurrentManagedThreadId, seen, allBackground);
        });

        fiberThreads.Should().OnlyHaveUniqueItems().And.NotContain(mainThread);
        background.Should().BeTrue();
    }

    [Fact]
    public void a_fiber_that_has_not_started_has_no_thread()
    {
        OnFreshThread.Run(() =>
        {
            var fiber = new Fiber(() => { });
            fiber.ManagedThreadId.Should().BeNull();
            fiber.Dispose();
            fiber.IsDead.Should().BeTrue();
            fiber.ManagedThreadId.Should().BeNull();
        });
    }

    [Fact]
    public void a_finished_fiber_leaves_no_thread_behind()
    {
        var before = Fiber.LiveThreadCount;
        var osThreads = OnFreshThread.Run(() =>
        {
            var fibers = Enumerable.Range(0, 5).Select(i => new Fiber(() => i)).ToList();
            fibers.ForEach(f => f.Switch());
            fibers.Should().OnlyContain(f => f.IsDead);
            return fibers.Select(f => f.OsThreadId!.Value).ToList();
        });

        // A dead fiber's thread ends on its own a moment after it hands control back.
        Eventually.True(() => Fiber.LiveThreadCount <= before, "every fiber thread has exited");
        Eventually.True(() => !OsThreads.Ids().Overlaps(osThreads), "the OS no longer lists the fibers' threads");
    }

    [Fact]
    public void dispose_ends_a_suspended_fiber_and_its_thread()
    {
        var before = Fiber.LiveThreadCount;
        var (osThread, cleanedUp) = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var cleaned = false;
            var fiber = new Fiber(() =>
            {
                try
                {
                    while (true)
                    {
                        main.Switch();
                    }
                }
                finally
                {
                    cleaned = true;
                }
            });
            fiber.Switch();
            var id = fiber.OsThreadId!.Value;
            OsThreads.Ids().Should().Contain(id);

            fiber.Dispose();

            fiber.IsDead.Should().BeTrue();
            fiber.EndedBy.Should().BeOfType<FiberExit>();
            return (id, cleaned);
        });

        cleanedUp.Should().BeTrue();
        Fiber.LiveThreadCount.Should().BeLessThanOrEqualTo(before, "Dispose waits for the fiber's thread to exit");
        Eventually.True(() => !OsThreads.Ids().Contains(osThread), "the OS no longer lists the fiber's thread");
    }

    [Fact]
    public void fibers_abandoned_by_a_thread_that_ended_are_ended_by_the_reaper()
    {
        var before = Fiber.LiveThreadCount;
        var cleanups = 0;
        var refusedSwitches = 0;
        var osThreads = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var fibers = Enumerable.Range(0, 3).Select(_ => new Fiber(() =>
            {
                try
                {
                    main.Switch();
                    main.Switch(); // never reached: the reaper raises FiberExit at the first switch
                }
                finally
                {
                    Interlocked.Increment(ref cleanups);
                    if (Record.Exception(() => main.Switch()) is FiberExit)
                    {
                        Interlocked.Increment(ref refusedSwitches);
                    }
                }
            })).ToList();
            fibers.ForEach(f => f.Switch());
            return fibers.Select(f => f.OsThreadId!.Value).ToList();
            // The thread ends here with three suspended fibers: nobody can switch to them any more.
        });

        Eventually.True(() => Fiber.LiveThreadCount <= before, "the reaper ended every abandoned fiber");
        Volatile.Read(ref cleanups).Should().Be(3, "each abandoned fiber ran its finally block");
        Volatile.Read(ref refusedSwitches).Should().Be(3, "an abandoned fiber can no longer switch");
        Eventually.True(() => !OsThreads.Ids().Overlaps(osThreads), "the OS no longer lists the fibers' threads");
    }

    [Fact]
    public void dispose_from_another_thread_is_refused_while_the_owner_lives()
    {
        using var parked = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Fiber? fiber = null;
        var owner = TestThread.Start("owner", () =>
        {
            var main = Fiber.Current;
            fiber = new Fiber(() => main.Switch());
            fiber.Switch();
            parked.Set();
            release.Wait(TestThread.JoinTimeout);
            fiber.Dispose();
        });
        parked.Wait(TestThread.JoinTimeout).Should().BeTrue();

        var error = Record.Exception(() => fiber!.Dispose());
        release.Set();
        owner.JoinAndRethrow();

        error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("only from its own thread");
        fiber!.IsDead.Should().BeTrue("the owner disposed it");
    }
}
