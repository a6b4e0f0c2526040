using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Threadbook.Fibers;
using Threadbook.Tests.Threading;

namespace Threadbook.Tests.Fibers;

/// <summary>Dropped suspended fibers end as greenlet's garbage greenlets do: FiberExit at their suspended switch.</summary>
public class FiberDropTests
{
    [Fact]
    public void a_dropped_suspended_fiber_runs_its_finally_and_its_thread_exits_at_the_owners_next_fiber_call()
    {
        var before = Fiber.LiveThreadCount;
        var (log, osThread, afterCollect) = OnFreshThread.Run(() =>
        {
            var seen = new ConcurrentQueue<string>();
            var id = StartAndDrop(seen);
            Collect();
            var beforeNextCall = seen.ToList();
            _ = Fiber.Current; // greenlet's getcurrent() also ends the thread's dropped greenlets
            return (seen.ToList(), id, beforeNextCall);
        });

        afterCollect.Should().Equal(["back in main"], "the fiber is ended by its own group's running fiber, not by the finalizer thread");
        log.Should().Equal("back in main", "caught FiberExit", "finally ran");
        Eventually.True(() => Fiber.LiveThreadCount <= before, "the dropped fiber's thread has exited");
        Eventually.True(() => !OsThreads.Ids().Contains(osThread), "the OS no longer lists the dropped fiber's thread");
    }

    [Fact]
    public void a_fiber_that_is_still_referenced_is_not_ended()
    {
        OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var fiber = new Fiber(() => main.Switch("parked"));
            fiber.Switch();
            Collect();
            _ = Fiber.Current;
            fiber.State.Should().Be(FiberState.Suspended);
            fiber.Switch().Should().BeNull("it finished normally when switched to");
        });
    }

    [Fact]
    public void a_dropped_fiber_that_throws_something_else_reports_it_and_the_owner_goes_on()
    {
        var reported = new ConcurrentQueue<Exception>();
        void OnFailure(Fiber fiber, Exception error) => reported.Enqueue(error);
        Fiber.DroppedFiberFailed += OnFailure;
        try
        {
            var returned = OnFreshThread.Run(() =>
            {
                StartAndDropThrowing();
                Collect();
                return Fiber.Current.Switch("still fine");
            });

            returned.Should().Be("still fine");
            reported.Should().ContainSingle().Which.Should().BeOfType<InvalidDataException>();
        }
        finally
        {
            Fiber.DroppedFiberFailed -= OnFailure;
        }
    }

    [Fact]
    public void a_dropped_fiber_ends_with_the_caller_as_its_parent_and_gets_its_own_parent_back_if_it_lives_on()
    {
        OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var result = new List<Fiber?>();
            var hub = new Fiber(() => { });
            StartAndDropResurrecting(hub, main, result);
            Collect();
            _ = Fiber.Current;
            result.Should().HaveCount(2);
            result[0].Should().BeSameAs(main, "the fiber that ended it was its parent while it exited");
            result[1]!.Parent.Should().BeSameAs(hub, "it did not die, so it got its own parent back");
            result[1]!.State.Should().Be(FiberState.Suspended);
            result[1]!.Dispose();
        });
    }

    [Fact]
    public void the_main_fiber_of_a_thread_that_has_exited_is_dead()
    {
        Fiber? main = null;
        OnFreshThread.Run(() =>
        {
            main = Fiber.Current;
            main.IsDead.Should().BeFalse();
            main.IsActive.Should().BeTrue();
        });

        main!.IsDead.Should().BeTrue();
        main.IsActive.Should().BeFalse();
        main.State.Should().Be(FiberState.Dead);
        main.ToString().Should().EndWith("dead (thread exited)");
    }

    [Fact]
    public void is_active_is_true_from_the_start_until_death()
    {
        OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var activeInside = false;
            Fiber? fiber = null;
            fiber = new Fiber(() =>
            {
                activeInside = fiber!.IsActive;
                main.Switch();
            });
            fiber.IsActive.Should().BeFalse();
            fiber.Switch();
            activeInside.Should().BeTrue();
            fiber.IsActive.Should().BeTrue("suspended counts as active");
            fiber.Switch();
            fiber.IsActive.Should().BeFalse();
        });
    }

    [Fact]
    public void run_can_be_given_before_the_start_and_not_after()
    {
        OnFreshThread.Run(() =>
        {
            var fiber = new Fiber("later");
            fiber.Run.Should().BeNull();
            Record.Exception(() => fiber.Switch()).Should().BeOfType<InvalidOperationException>()
                .Which.Message.Should().Contain("no function to run");
            fiber.IsStarted.Should().BeFalse("a switch without a function leaves the fiber as it was");

            fiber.Run = value => $"ran with {value}";
            fiber.Switch(7).Should().Be("ran with 7");
            fiber.Run.Should().BeNull("a started fiber lets go of its function");
            Record.Exception(() => fiber.Run = _ => null).Should().BeOfType<InvalidOperationException>()
                .Which.Message.Should().Contain("cannot be set after the start");
        });
    }

    [Fact]
    public void several_values_travel_as_one_value_tuple()
    {
        var got = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var fiber = new Fiber(first =>
            {
                var (number, text) = ((int, string))first!;
                return (number * 2, text + "!");
            });
            return ((int, string))fiber.Switch((21, "hi"))!;
        });

        got.Should().Be((42, "hi!"));
    }

    internal static void Collect()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
    }

    // In a method of its own, so no local of the caller's frame keeps the fiber alive.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int StartAndDrop(ConcurrentQueue<string> seen)
    {
        var main = Fiber.Current;
        var fiber = new Fiber(() =>
        {
            try
            {
                main.Switch();
                seen.Enqueue("resumed normally");
            }
            catch (FiberExit)
            {
                seen.Enqueue("caught FiberExit");
                throw;
            }
            finally
            {
                seen.Enqueue("finally ran");
            }
        });
        fiber.Switch();
        fiber.IsActive.Should().BeTrue();
        var ended = new Fiber(() => seen.Enqueue("back in main"));
        ended.Switch(); // a fiber that ends normally: nothing to do when dropped
        return fiber.OsThreadId!.Value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndDropThrowing()
    {
        var main = Fiber.Current;
        new Fiber(() =>
        {
            try
            {
                main.Switch();
            }
            catch (FiberExit)
            {
                throw new InvalidDataException("thrown instead of exiting");
            }
        }).Switch();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndDropResurrecting(Fiber hub, Fiber main, List<Fiber?> result)
    {
        new Fiber(
            () =>
            {
                try
                {
                    main.Switch();
                }
                catch (FiberExit)
                {
                    result.Add(Fiber.Current.Parent);
                    result.Add(Fiber.Current);
                    hub.Switch();
                }
            },
            parent: hub).Switch();
    }
}
