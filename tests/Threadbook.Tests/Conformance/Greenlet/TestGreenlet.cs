using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Threadbook.Fibers;
using Threadbook.Tests.Threading;
using static Threadbook.Tests.Conformance.Greenlet.Greenlet;

namespace Threadbook.Tests.Conformance.Greenlet;

/// <summary>
/// greenlet's <c>src/greenlet/tests/test_greenlet.py</c>, ported to <see cref="Fiber"/>: classes <c>TestGreenlet</c>,
/// <c>TestGreenletSetParentErrors</c>, <c>TestRepr</c> and <c>TestMainGreenlet</c> (each test named after its
/// upstream class and method). Every scenario runs on a fresh thread, whose main fiber plays greenlet's main greenlet.
/// </summary>
[Trait("Category", "Conformance")]
public class TestGreenlet
{
    [Fact]
    public void TestGreenlet_test_simple() => Run(DoSimpleTest);

    [Fact]
    public void TestGreenlet_test_switch_no_run_raises_AttributeError() => Run(() =>
    {
        var g = new Fiber();
        Record.Exception(() => g.Switch()).Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("Run");
    });

    [Fact]
    public void TestGreenlet_test_throw_no_run_raises_AttributeError() => Run(() =>
    {
        var g = new Fiber();
        Record.Exception(() => g.Throw(new SomeError())).Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("Run");
    });

    [Fact]
    public void TestGreenlet_test_parent_equals_None() => Run(() =>
    {
        var g = new Fiber(parent: null);
        g.Parent.Should().BeSameAs(Fiber.Current);
    });

    [Fact]
    public void TestGreenlet_test_run_equals_None() => Run(() =>
    {
        var g = new Fiber();
        g.Run.Should().BeNull();
    });

    [Fact]
    public void TestGreenlet_test_two_children() => Run(() =>
    {
        var lst = new List<int>();
        void F()
        {
            lst.Add(1);
            SwitchToParent();
            lst.AddRange([1, 1]);
        }

        var g = new Fiber(F);
        var h = new Fiber(F);
        g.Switch();
        lst.Should().HaveCount(1);
        h.Switch();
        lst.Should().HaveCount(2);
        h.Switch();
        lst.Should().HaveCount(4);
        h.IsDead.Should().BeTrue();
        g.Switch();
        lst.Should().HaveCount(6);
        g.IsDead.Should().BeTrue();
    });

    [Fact]
    public void TestGreenlet_test_two_recursive_children() => Run(() =>
    {
        var lst = new List<string>();
        void F()
        {
            lst.Add("b");
            SwitchToParent();
        }

        void G()
        {
            lst.Add("a");
            var g = new Fiber(F);
            g.Switch();
            lst.Add("c");
        }

        // The upstream reference counts (sys.getrefcount) have no .NET counterpart and are left out.
        var g = new Fiber(G);
        g.Switch();
        lst.Should().Equal("a", "b", "c");
    });

    [Fact]
    public void TestGreenlet_test_threads()
    {
        var success = 0;
        var ths = Enumerable.Range(0, 10).Select(i => TestThread.Start($"greenlet-{i}", () =>
        {
            DoSimpleTest();
            Interlocked.Increment(ref success);
        })).ToList();
        ths.ForEach(th => th.JoinAndRethrow());
        success.Should().Be(ths.Count);
    }

    [Fact]
    public void TestGreenlet_test_switching_many_threads()
    {
        var unexpected = new ConcurrentQueue<Exception>();

        void RunIt(int threadCount = 16)
        {
            var greenlets = new List<Fiber>();
            using var greenletsAllCreated = new ManualResetEventSlim();
            using var allThreadsDead = new ManualResetEventSlim();

            void CreatesGreenlet()
            {
                var g = new Fiber(() =>
                {
                    while (true)
                    {
                        SwitchToParent();
                    }
                });
                g.Switch();
                lock (greenlets)
                {
                    greenlets.Add(g);
                }

                greenletsAllCreated.Wait(TestThread.JoinTimeout);
            }

            void SwitchesFromOtherThread()
            {
                greenletsAllCreated.Wait(TestThread.JoinTimeout);
                while (!allThreadsDead.IsSet)
                {
                    Fiber[] snapshot;
                    lock (greenlets)
                    {
                        snapshot = [.. greenlets];
                    }

                    foreach (var g in snapshot)
                    {
                        try
                        {
                            if (!g.IsDead)
                            {
                                g.Switch();
                            }
                        }
                        catch (InvalidOperationException)
                        {
                            // greenlet.error: every attempt where the fiber is not dead raises it.
                        }
                        catch (Exception other)
                        {
                            unexpected.Enqueue(other);
                        }
                    }
                }
            }

            var creators = Enumerable.Range(0, threadCount).Select(i => TestThread.Start($"creator-{i}", CreatesGreenlet)).ToList();
            var switchers = Enumerable.Range(0, threadCount).Select(i => TestThread.Start($"switcher-{i}", SwitchesFromOtherThread)).ToList();
            Eventually.True(() => { lock (greenlets) { return greenlets.Count >= threadCount; } }, "every creator has published its fiber");
            greenletsAllCreated.Set();
            creators.ForEach(t => t.JoinAndRethrow());
            allThreadsDead.Set();
            switchers.ForEach(t => t.JoinAndRethrow());
        }

        for (var i = 0; i < 20; i++)
        {
            RunIt();
            Collect();
        }

        unexpected.Should().BeEmpty();
    }

    [Fact]
    public void TestGreenlet_test_exception() => Run(() =>
    {
        var seen = new List<Type>();
        var g1 = new Fiber(FMain);
        var g2 = new Fiber(FMain);
        g1.Switch(seen);
        g2.Switch(seen);
        g2.Parent = g1;

        seen.Should().BeEmpty();
        Record.Exception(() => g2.Switch()).Should().BeOfType<SomeError>();
        seen.Should().Equal(typeof(SomeError));

        // greenlet's empty switch() delivers (); Fiber's delivers null.
        g2.Switch().Should().BeNull();
        seen.Should().Equal(typeof(SomeError));

        g2.Switch(25).Should().Be(25);
        seen.Should().Equal(typeof(SomeError));
    });

    [Fact]
    public void TestGreenlet_test_send_exception() => Run(() =>
    {
        var seen = new List<Type>();
        var g1 = new Fiber(FMain);
        g1.Switch(seen);
        Record.Exception(() => SendException(g1, new KeyNotFoundException())).Should().BeOfType<KeyNotFoundException>();
        seen.Should().Equal(typeof(KeyNotFoundException));
    });

    [Fact]
    public void TestGreenlet_test_dealloc() => Run(() =>
    {
        var seen = new List<Type>();
        var holder = StartTwo(seen, FMain);
        seen.Should().BeEmpty();

        holder[0] = null; // del g1
        Collect();
        _ = Fiber.Current; // where greenlet collects at once, a Fiber is ended at its thread's next fiber call
        seen.Should().Equal(typeof(FiberExit));

        holder[1] = null; // del g2
        Collect();
        _ = Fiber.Current;
        seen.Should().Equal(typeof(FiberExit), typeof(FiberExit));
    });

    [Fact]
    public void TestGreenlet_test_dealloc_catches_GreenletExit_throws_other()
    {
        var unraisable = new ConcurrentQueue<Exception>();
        void Capture(Fiber fiber, Exception error) => unraisable.Enqueue(error);
        Fiber.DroppedFiberFailed += Capture;
        try
        {
            Run(() =>
            {
                StartAndDrop(() =>
                {
                    try
                    {
                        SwitchToParent();
                    }
                    catch (FiberExit)
                    {
                        throw new SomeError();
                    }
                });
                Collect();
                _ = Fiber.Current;
            });
        }
        finally
        {
            Fiber.DroppedFiberFailed -= Capture;
        }

        unraisable.Should().ContainSingle().Which.Should().BeOfType<SomeError>();
    }

    [Fact]
    public void TestGreenlet_test_dealloc_other_thread()
    {
        var seen = new List<Type>();
        var someref = new List<Fiber?>();
        using var bgGletCreatedRunningAndNoLongerRefInBg = new ManualResetEventSlim();
        using var fgRefReleased = new ManualResetEventSlim();
        using var bgShouldBeClear = new ManualResetEventSlim();
        using var okToExitBgThread = new ManualResetEventSlim();

        var t = TestThread.Start("dealloc-other-thread", () =>
        {
            StartInto(someref, seen);
            Collect();
            bgGletCreatedRunningAndNoLongerRefInBg.Set();
            fgRefReleased.Wait(TimeSpan.FromSeconds(3));

            _ = new Fiber(); // trigger release
            bgShouldBeClear.Set();
            okToExitBgThread.Wait(TimeSpan.FromSeconds(3));
            _ = new Fiber(); // one more time
        });
        bgGletCreatedRunningAndNoLongerRefInBg.Wait(TimeSpan.FromSeconds(10));

        try
        {
            lock (seen)
            {
                seen.Should().BeEmpty();
            }

            someref.Should().HaveCount(1);
            someref.Clear();
            Collect();

            // The fiber is not ended here: it belongs to the other thread, which ends it at its next fiber call.
            lock (seen)
            {
                seen.Should().BeEmpty();
            }

            fgRefReleased.Set();
            bgShouldBeClear.Wait(TimeSpan.FromSeconds(3));
            lock (seen)
            {
                seen.Should().Equal(typeof(FiberExit));
            }
        }
        finally
        {
            okToExitBgThread.Set();
            t.JoinAndRethrow();
        }
    }

    [Fact]
    public void TestGreenlet_test_thread_bug()
    {
        static void Runner(double x)
        {
            var g = new Fiber(() => Thread.Sleep(TimeSpan.FromSeconds(x)));
            g.Switch();
        }

        var t1 = TestThread.Start("t1", () => Runner(0.2));
        var t2 = TestThread.Start("t2", () => Runner(0.3));
        t1.JoinAndRethrow();
        t2.JoinAndRethrow();
    }

    [Fact]
    public void TestGreenlet_test_switch_to_another_thread()
    {
        Fiber? g = null;
        using var createdEvent = new ManualResetEventSlim();
        using var doneEvent = new ManualResetEventSlim();
        var thread = TestThread.Start("owner", () =>
        {
            g = new Fiber(() => { });
            createdEvent.Set();
            doneEvent.Wait(TimeSpan.FromSeconds(10));
        });
        createdEvent.Wait(TimeSpan.FromSeconds(10));
        try
        {
            Record.Exception(() => g!.Switch()).Should().BeOfType<InvalidOperationException>()
                .Which.Message.Should().Contain("only fibers of that thread can switch to it");
        }
        finally
        {
            doneEvent.Set();
            thread.JoinAndRethrow();
        }
    }

    [Fact]
    public void TestGreenlet_test_running_greenlet_has_no_run() => Run(() =>
    {
        var hasRun = new List<bool>();
        var g = new Fiber(() => hasRun.Add(Fiber.Current.Run is not null));
        g.Switch();
        hasRun.Should().Equal(false);
    });

    [Fact]
    public void TestGreenlet_test_parent_restored_on_kill() => Run(() =>
    {
        var hub = new Fiber(() => { });
        var main = Fiber.Current;
        var result = new List<Fiber?>();
        StartAndDrop(
            () =>
            {
                try
                {
                    main.Switch(); // wait to be killed by going back to the test
                }
                catch (FiberExit)
                {
                    // Resurrect and switch to the parent.
                    result.Add(Fiber.Current.Parent);
                    result.Add(Fiber.Current);
                    hub.Switch();
                }
            },
            parent: hub);
        Collect();
        _ = Fiber.Current; // greenlet's "del g" ends it at once; here the next fiber call does

        result.Should().NotBeEmpty();
        result[0].Should().BeSameAs(main);
        result[1]!.Parent.Should().BeSameAs(hub);
        result[1]!.Dispose();
    });

    [Fact]
    public void TestGreenlet_test_parent_return_failure() => Run(() =>
    {
        var g1 = new Fiber(); // no run: switching to it fails
        var g2 = new Fiber(() => { }, parent: g1); // implicitly switches to its parent
        Record.Exception(() => g2.Switch()).Should().BeOfType<InvalidOperationException>("the error propagates to us");
    });

    [Fact]
    public void TestGreenlet_test_throw_to_dead_thread_doesnt_crash() => ThrowToDeadThread(waitForCleanup: false);

    [Fact]
    public void TestGreenlet_test_throw_to_dead_thread_doesnt_crash_wait() => ThrowToDeadThread(waitForCleanup: true);

    [Fact]
    public void TestGreenlet_test_falling_off_end_switches_to_unstarted_parent_works() => Run(() =>
    {
        var parentNeverStarted = new Fiber(x => (x, 24));
        var child = new Fiber(() => 42, parent: parentNeverStarted);
        child.Switch().Should().Be(((object?)42, 24));
    });

    [Fact]
    public void TestGreenlet_test_switch_to_dead_greenlet_with_unstarted_perverse_parent() => Run(() =>
    {
        // The upstream parent raises SomeError when its run is looked up; a parent without Run is the C# way to
        // fail there, and fails with InvalidOperationException.
        var parentNeverStarted = new Fiber();
        var seen = new List<int>();
        var child = new Fiber(() => seen.Add(42), parent: parentNeverStarted);
        Record.Exception(() => child.Switch()).Should().BeOfType<InvalidOperationException>(
            "the parent is started automatically when the child is finished");
        seen.Should().Equal(42);

        Record.Exception(() => child.Switch()).Should().BeOfType<InvalidOperationException>();
        seen.Should().Equal(42);
    });

    [Fact]
    public void TestGreenlet_test_switch_to_dead_greenlet_reparent() => Run(() =>
    {
        var seen = new List<int>();
        var parentNeverStarted = new Fiber(() => seen.Add(24));
        var child = new Fiber(() => seen.Add(42));

        child.Switch();
        seen.Should().Equal(42);

        child.Parent = parentNeverStarted;
        child.Switch().Should().BeNull("this is the same as switching to the parent");
        seen.Should().Equal(42, 24);
    });

    [Fact]
    public void TestGreenlet_test_switching_holding_critical_section_no_crash() => Run(() =>
    {
        // Switching from inside a sort's key function, in both fibers, then blocking I/O in one of them.
        Fiber? g1 = null, g2 = null;
        int K1(int x)
        {
            g2!.Switch();
            return x;
        }

        int K2(int x)
        {
            g1!.Switch();
            return x;
        }

        g1 = new Fiber(() =>
        {
            _ = new[] { 0 }.OrderBy(K1).ToList();
            g2!.Switch();
        });
        g2 = new Fiber(() =>
        {
            _ = new[] { 0 }.OrderBy(K2).ToList();
            _ = File.ReadAllText(typeof(TestGreenlet).Assembly.Location.Replace(".dll", ".deps.json", StringComparison.Ordinal));
        });
        g1.Switch();
        g2.IsDead.Should().BeTrue();
        g1.Dispose();
    });

    [Fact]
    public void TestGreenletSetParentErrors_test_threaded_reparent()
    {
        Fiber? other = null;
        using var createdEvent = new ManualResetEventSlim();
        using var doneEvent = new ManualResetEventSlim();
        var thread = TestThread.Start("owner", () =>
        {
            other = new Fiber(() => { });
            createdEvent.Set();
            doneEvent.Wait(TimeSpan.FromSeconds(10));
        });
        createdEvent.Wait(TimeSpan.FromSeconds(10));
        Exception? error = null;
        Run(() =>
        {
            var g = new Fiber(() => SwitchToParent());
            g.Switch();
            error = Record.Exception(() => g.Parent = other);
            g.Dispose();
        });
        doneEvent.Set();
        thread.JoinAndRethrow();

        error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("belongs to another thread");
    }

    [Fact]
    public void TestGreenletSetParentErrors_test_cannot_delete_parent() => Run(() =>
    {
        var worker = new Fiber(() => { });
        worker.Parent.Should().BeSameAs(Fiber.Current);
        Record.Exception(() => worker.Parent = null).Should().BeOfType<ArgumentNullException>("C#'s way to delete the parent is to set it to null");
        worker.Parent.Should().BeSameAs(Fiber.Current);
    });

    [Fact]
    public void TestGreenletSetParentErrors_test_cannot_delete_parent_of_main() => Run(() =>
    {
        Record.Exception(() => Fiber.Current.Parent = null).Should().BeOfType<ArgumentNullException>();
        Fiber.Current.Parent.Should().BeNull();
    });

    [Fact]
    public void TestGreenletSetParentErrors_test_main_greenlet_parent_is_none() => Run(() =>
        Fiber.Current.Parent.Should().BeNull());

    [Fact]
    public void TestGreenletSetParentErrors_test_trivial_cycle() => Run(() =>
    {
        var glet = new Fiber(() => { });
        Record.Exception(() => glet.Parent = glet).Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("cyclic parent chain");
    });

    [Fact]
    public void TestGreenletSetParentErrors_test_trivial_cycle_main() => Run(() =>
        Record.Exception(() => Fiber.Current.Parent = Fiber.Current).Should().BeOfType<InvalidOperationException>()
            .Which.Message.Should().Contain("main fiber has no parent"));

    [Fact]
    public void TestGreenletSetParentErrors_test_deeper_cycle() => Run(() =>
    {
        var g1 = new Fiber(() => { });
        var g2 = new Fiber(() => { });
        var g3 = new Fiber(() => { });
        g1.Parent = g2;
        g2.Parent = g3;
        Record.Exception(() => g3.Parent = g1).Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("cyclic parent chain");
    });

    [Fact]
    public void TestRepr_test_main_while_running() => Run(() =>
    {
        // greenlet's repr ends " current active started main>"; Fiber says the same through its state and flags.
        var main = Fiber.Current;
        (main.State, main.IsActive, main.IsStarted, main.IsMain).Should().Be((FiberState.Running, true, true, true));
        main.ToString().Should().EndWith(": running");
    });

    [Fact]
    public void TestRepr_test_main_in_background() => Run(() =>
    {
        var main = Fiber.Current;
        var g = new Fiber(() => (main.State, main.IsActive, main.IsStarted, main.IsMain, main.ToString()));
        var seen = ((FiberState, bool, bool, bool, string))g.Switch()!;
        seen.Should().Be((FiberState.Suspended, true, true, true, $"Fiber '{main.Name}': suspended"));
    });

    [Fact]
    public void TestRepr_test_initial() => Run(() =>
    {
        var g = new Fiber();
        g.State.Should().Be(FiberState.NotStarted); // greenlet: " pending>"
        g.ToString().Should().EndWith(": not started");
    });

    [Fact]
    public void TestRepr_test_main_from_other_thread()
    {
        Fiber? main = null, threadMain = null;
        string? originalMain = null, threadMainText = null;
        FiberState originalMainState = FiberState.NotStarted;
        Run(() =>
        {
            main = Fiber.Current;
            var t = TestThread.Start("other", () =>
            {
                originalMain = main.ToString();
                originalMainState = main.State;
                threadMain = Fiber.Current;
                threadMainText = threadMain.ToString();
            });
            t.JoinAndRethrow();
        });

        // Divergence: greenlet calls another thread's main greenlet "suspended" (it is not current in the asking
        // thread); a Fiber's state is its own thread's view, where that main fiber is the running one.
        originalMainState.Should().Be(FiberState.Running);
        originalMain.Should().EndWith(": running");
        threadMainText.Should().EndWith(": running");
        for (var i = 0; i < 3; i++)
        {
            threadMain!.IsDead.Should().BeTrue();
            threadMain.ToString().Should().EndWith("dead (thread exited)");
        }
    }

    [Fact]
    public void TestRepr_test_dead() => Run(() =>
    {
        var g = new Fiber(() => { });
        g.Switch();
        g.ToString().Should().EndWith("dead").And.NotContain("suspended").And.NotContain("started").And.NotContain("active");
        g.IsActive.Should().BeFalse();
    });

    [Fact]
    public void TestMainGreenlet_test_greenlet_run() => Run(() =>
    {
        Fiber? g = null;
        Func<object?, object?>? inside = _ => null;
        g = new Fiber(() => { inside = g!.Run; });
        g.Switch();
        inside.Should().BeNull();
        g.Run.Should().BeNull();
    });

    private static void DoSimpleTest()
    {
        var lst = new List<int>();
        void F()
        {
            lst.Add(1);
            SwitchToParent();
            lst.Add(3);
        }

        var g = new Fiber(F);
        lst.Add(0);
        g.Switch();
        lst.Add(2);
        g.Switch();
        lst.Add(4);
        lst.Should().Equal(Enumerable.Range(0, 5));
    }

    private static void ThrowToDeadThread(bool waitForCleanup)
    {
        var result = new List<Fiber>();
        var creator = TestThread.Start("creator", () =>
        {
            var g = new Fiber(() => SwitchToParent());
            g.Switch();
            result.Add(g);
            if (waitForCleanup)
            {
                g.Switch(); // let it finish
                _ = Fiber.Current;
            }
        });
        creator.JoinAndRethrow();
        if (waitForCleanup)
        {
            Eventually.True(() => result[0].IsDead, "the fiber has been cleaned up");
        }

        var error = Record.Exception(() => result[0].Throw(new SomeError()));
        error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("which has exited");
    }

    // greenlet's "g1 = RawGreenlet(fmain); g1.switch(seen)", twice, in a frame of its own so that only the holder refers to them.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Fiber?[] StartTwo(List<Type> seen, Func<object?, object?> run)
    {
        var g1 = new Fiber(run);
        var g2 = new Fiber(run);
        g1.Switch(seen);
        g2.Switch(seen);
        return [g1, g2];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartAndDrop(Action run, Fiber? parent = null) => new Fiber(run, parent: parent).Switch();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void StartInto(List<Fiber?> someref, List<Type> seen)
    {
        var g1 = new Fiber(FMain);
        g1.Switch(seen);
        someref.Add(g1);
    }
}
