using System.Collections.Concurrent;
using Threadbook.Fibers;

namespace Threadbook.Tests.Fibers;

public class FiberTests
{
    [Fact]
    public void the_notes_example_prints_12_56_34_78_in_that_order()
    {
        var printed = OnFreshThread.Run(() =>
        {
            var output = new List<int>();
            Fiber? gr1 = null, gr2 = null;
            void Test1()
            {
                output.Add(12);
                gr2!.Switch();
                output.Add(34);
                gr2!.Switch();
            }

            void Test2()
            {
                output.Add(56);
                gr1!.Switch();
                output.Add(78);
            }

            gr1 = new Fiber(Test1);
            gr2 = new Fiber(Test2);
            gr1.Switch();

            // As in the notes, test2 ends and its parent (main) continues; test1 is left suspended.
            gr2.IsDead.Should().BeTrue();
            gr1.State.Should().Be(FiberState.Suspended);
            gr1.Dispose();
            gr2.Dispose();
            return output;
        });

        printed.Should().Equal(12, 56, 34, 78);
    }

    [Fact]
    public void a_fiber_is_named_after_its_function_unless_given_a_name()
    {
        OnFreshThread.Run(() =>
        {
            static void Worker()
            {
            }

            new Fiber(Worker).Name.Should().Be("Worker");
            new Fiber(() => { }, "given").Name.Should().Be("given");
            new Fiber(() => { }).Name.Should().StartWith("fiber-");
        });
    }

    [Fact]
    public void the_first_switch_passes_its_value_as_the_functions_argument()
    {
        var received = OnFreshThread.Run(() =>
        {
            object? argument = null;
            using var fiber = new Fiber(value => { argument = value; });
            fiber.Switch("hello");
            return argument;
        });

        received.Should().Be("hello");
    }

    [Fact]
    public void values_pass_both_ways_through_switch()
    {
        var seen = OnFreshThread.Run(() =>
        {
            var log = new List<string>();
            var main = Fiber.Current;
            using var doubler = new Fiber(first =>
            {
                var value = (int)first!;
                while (true)
                {
                    log.Add($"fiber got {value}");
                    value = (int)main.Switch(value * 2)!;
                }
            });

            log.Add($"main got {doubler.Switch(1)}");
            log.Add($"main got {doubler.Switch(10)}");
            log.Add($"main got {doubler.Switch(100)}");
            return log;
        });

        seen.Should().Equal("fiber got 1", "main got 2", "fiber got 10", "main got 20", "fiber got 100", "main got 200");
    }

    [Fact]
    public void when_a_fiber_returns_its_parent_gets_the_return_value()
    {
        var (result, dead) = OnFreshThread.Run(() =>
        {
            var fiber = new Fiber(value => (int)value! + 1);
            var returned = fiber.Switch(41);
            return (returned, fiber.IsDead);
        });

        result.Should().Be(42);
        dead.Should().BeTrue();
    }

    [Fact]
    public void an_exception_in_a_fiber_is_rethrown_from_the_parents_switch_with_its_original_stack()
    {
        var (caught, fiberState) = OnFreshThread.Run(() =>
        {
            var fiber = new Fiber(() => ThrowFromDeepInside(3));
            var exception = Record.Exception(() => fiber.Switch());
            return (exception, fiber.State);
        });

        caught.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom at depth 0");
        caught!.StackTrace.Should().Contain(nameof(ThrowFromDeepInside), "the fiber's own frames are kept")
            .And.Contain(nameof(Fiber.Switch), "the parent's frames are added where it was rethrown");
        fiberState.Should().Be(FiberState.Dead);
    }

    [Fact]
    public void throw_raises_the_exception_at_the_fibers_suspended_switch()
    {
        var (caughtInside, returned) = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            Exception? inside = null;
            using var fiber = new Fiber(() =>
            {
                try
                {
                    main.Switch("parked");
                }
                catch (ArgumentException e)
                {
                    inside = e;
                }

                return "handled";
            });

            fiber.Switch().Should().Be("parked");
            var result = fiber.Throw(new ArgumentException("from main"));
            return (inside, result);
        });

        caughtInside.Should().BeOfType<ArgumentException>().Which.Message.Should().Be("from main");
        returned.Should().Be("handled", "the fiber handled it and returned to its parent");
    }

    [Fact]
    public void an_exception_thrown_in_and_not_handled_comes_back_out_of_throw()
    {
        var caught = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var fiber = new Fiber(() => main.Switch());
            fiber.Switch();
            return Record.Exception(() => fiber.Throw(new TimeoutException("raised inside")));
        });

        caught.Should().BeOfType<TimeoutException>().Which.Message.Should().Be("raised inside");
    }

    [Fact]
    public void fiber_exit_kills_a_fiber_quietly_and_the_parent_receives_it_as_the_value()
    {
        var (returned, finallyRan, endedBy, dead) = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var cleanedUp = false;
            var fiber = new Fiber(() =>
            {
                try
                {
                    main.Switch();
                }
                finally
                {
                    cleanedUp = true;
                }
            });
            fiber.Switch();
            var result = fiber.Throw();
            return (result, cleanedUp, fiber.EndedBy, fiber.IsDead);
        });

        returned.Should().BeOfType<FiberExit>("greenlet returns the GreenletExit instance to the parent");
        endedBy.Should().BeSameAs(returned);
        finallyRan.Should().BeTrue();
        dead.Should().BeTrue();
    }

    [Fact]
    public void throw_into_a_fiber_that_has_not_started_kills_it_without_running_it()
    {
        OnFreshThread.Run(() =>
        {
            var ran = false;
            var quiet = new Fiber(() => { ran = true; });
            quiet.Throw().Should().BeOfType<FiberExit>();
            quiet.IsDead.Should().BeTrue();
            quiet.IsStarted.Should().BeFalse();

            var loud = new Fiber(() => { ran = true; });
            var error = Record.Exception(() => loud.Throw(new FormatException("never ran")));
            error.Should().BeOfType<FormatException>("any other exception goes on to the parent, the caller here");
            loud.IsDead.Should().BeTrue();
            ran.Should().BeFalse();
        });
    }

    [Fact]
    public void switching_to_a_dead_fiber_goes_to_its_parent_with_the_value()
    {
        var results = OnFreshThread.Run(() =>
        {
            var fiber = new Fiber(value => (int)value! * 2);
            var first = fiber.Switch(21);
            var again = fiber.Switch(5); // greenlet: control goes to the dead fiber's parent, the caller
            return (first, again);
        });

        results.first.Should().Be(42);
        results.again.Should().Be(5);
    }

    [Fact]
    public void throwing_into_a_dead_fiber_delivers_the_exception_to_its_parent()
    {
        OnFreshThread.Run(() =>
        {
            var fiber = new Fiber(() => { });
            fiber.Switch();
            fiber.IsDead.Should().BeTrue();

            Record.Exception(() => fiber.Throw(new ArithmeticException("dead")))
                .Should().BeOfType<ArithmeticException>();
            fiber.Throw().Should().BeOfType<FiberExit>();
        });
    }

    [Fact]
    public void a_fiber_whose_parent_died_returns_to_the_grandparent()
    {
        var (returned, childParentDead) = OnFreshThread.Run(() =>
        {
            Fiber? child = null;
            var middle = new Fiber(() =>
            {
                child = new Fiber(() => "from the child"); // its parent is 'middle'
            });
            middle.Switch();
            var parentDead = child!.Parent == middle && middle.IsDead;
            var value = child.Switch(); // 'middle' is dead: the value goes to main
            return (value, parentDead);
        });

        childParentDead.Should().BeTrue();
        returned.Should().Be("from the child");
    }

    [Fact]
    public void switching_works_from_a_nested_call_inside_the_fiber()
    {
        var (visited, depthSeen) = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var seen = new List<int>();
            var deepest = 0;

            void Walk(int depth)
            {
                if (depth == 50)
                {
                    deepest = depth;
                    // A switch from 50 frames down, and from inside a LINQ callback: a stackful coroutine can do both.
                    _ = Enumerable.Range(0, 3).Select(i => (int)main.Switch(i)!).ToList();
                    return;
                }

                Walk(depth + 1);
            }

            using var fiber = new Fiber(() => Walk(0));
            seen.Add((int)fiber.Switch()!);
            seen.Add((int)fiber.Switch(0)!);
            seen.Add((int)fiber.Switch(0)!);
            fiber.Switch(0); // the fiber finishes the list and returns
            return (seen, deepest);
        });

        visited.Should().Equal(0, 1, 2);
        depthSeen.Should().Be(50);
    }

    [Fact]
    public void current_is_the_main_fiber_outside_and_the_fiber_itself_inside()
    {
        OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            main.IsMain.Should().BeTrue();
            main.Parent.Should().BeNull();
            main.State.Should().Be(FiberState.Running);
            Fiber.Current.Should().BeSameAs(main, "the main fiber is made once per thread");

            Fiber? inside = null;
            var fiber = new Fiber(() => { inside = Fiber.Current; });
            fiber.Parent.Should().BeSameAs(main, "a new fiber's parent is the fiber that created it");
            fiber.Switch();
            inside.Should().BeSameAs(fiber);
        });
    }

    [Fact]
    public void switching_to_the_current_fiber_returns_the_value_at_once()
    {
        OnFreshThread.Run(() =>
        {
            Fiber.Current.Switch("me").Should().Be("me");
            Record.Exception(() => Fiber.Current.Throw(new InvalidCastException()))
                .Should().BeOfType<InvalidCastException>("throwing into yourself raises it right here");
        });
    }

    [Fact]
    public void only_one_fiber_of_a_group_runs_at_a_time()
    {
        var (overlaps, total) = OnFreshThread.Run(() =>
        {
            const int Fibers = 4, Rounds = 500;
            var running = 0;
            var overlap = 0;
            var steps = 0;
            var ring = new Fiber[Fibers];
            var main = Fiber.Current;

            void Step()
            {
                if (Interlocked.Increment(ref running) != 1)
                {
                    Interlocked.Increment(ref overlap);
                }

                steps++;
                Interlocked.Decrement(ref running);
            }

            for (var i = 0; i < Fibers; i++)
            {
                var index = i;
                ring[i] = new Fiber(() =>
                {
                    for (var round = 0; round < Rounds; round++)
                    {
                        Step();
                        (index == Fibers - 1 ? main : ring[index + 1]).Switch();
                    }
                });
            }

            for (var round = 0; round < Rounds; round++)
            {
                Step();
                ring[0].Switch();
            }

            foreach (var fiber in ring)
            {
                fiber.Dispose();
            }

            return (overlap, steps);
        });

        overlaps.Should().Be(0);
        total.Should().Be(500 * 5);
    }

    [Fact]
    public void a_fiber_of_another_thread_cannot_be_switched_to()
    {
        Fiber? foreign = null;
        OnFreshThread.Run(() => { foreign = new Fiber(() => { }); });

        var error = OnFreshThread.Run(() => Record.Exception(() => foreign!.Switch()));

        error.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("belongs to");
        foreign!.State.Should().Be(FiberState.NotStarted);
    }

    [Fact]
    public void the_parent_can_be_changed_but_not_into_a_cycle()
    {
        OnFreshThread.Run(() =>
        {
            var a = new Fiber(() => "a");
            var b = new Fiber(() => "b", parent: a);
            Record.Exception(() => a.Parent = b).Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("cyclic");
            Record.Exception(() => Fiber.Current.Parent = a).Should().BeOfType<InvalidOperationException>();

            var main = Fiber.Current;
            b.Parent = main;
            b.Switch().Should().Be("b", "b now returns to main directly");
        });
    }

    [Fact]
    public void state_and_flags_follow_a_fibers_life()
    {
        var states = OnFreshThread.Run(() =>
        {
            var main = Fiber.Current;
            var log = new List<(FiberState State, bool Started, bool Dead)>();
            Fiber? fiber = null;
            fiber = new Fiber(() =>
            {
                log.Add((fiber!.State, fiber.IsStarted, fiber.IsDead));
                main.Switch();
            });
            log.Add((fiber.State, fiber.IsStarted, fiber.IsDead));
            fiber.Switch();
            log.Add((fiber.State, fiber.IsStarted, fiber.IsDead));
            fiber.Switch();
            log.Add((fiber.State, fiber.IsStarted, fiber.IsDead));
            return log;
        });

        states.Should().Equal(
            (FiberState.NotStarted, false, false),
            (FiberState.Running, true, false),
            (FiberState.Suspended, true, false),
            (FiberState.Dead, true, true));
    }

    [Fact]
    public void kill_runs_the_fibers_finally_blocks_and_returns_to_the_caller_even_when_the_parent_is_another_fiber()
    {
        var log = OnFreshThread.Run(() =>
        {
            var steps = new List<string>();
            var main = Fiber.Current;
            Fiber? worker = null;
            var boss = new Fiber(() =>
            {
                worker = new Fiber(() =>
                {
                    try
                    {
                        main.Switch("worker parked");
                    }
                    finally
                    {
                        steps.Add("worker cleaned up");
                    }
                });
                return worker.Switch();
            });

            steps.Add((string)boss.Switch()!);
            worker!.Kill();
            steps.Add($"back in main; worker dead: {worker.IsDead}; boss still {boss.State}");
            boss.Dispose();
            return steps;
        });

        log.Should().Equal("worker parked", "worker cleaned up", "back in main; worker dead: True; boss still Suspended");
    }

    [Fact]
    public void a_fiber_resumes_with_the_execution_context_of_the_fiber_that_switched_to_it()
    {
        var seen = OnFreshThread.Run(() =>
        {
            var local = new AsyncLocal<string>();
            var main = Fiber.Current;
            var values = new List<string?>();
            using var fiber = new Fiber(() =>
            {
                while (true)
                {
                    values.Add(local.Value);
                    main.Switch();
                }
            });

            local.Value = "first";
            fiber.Switch();
            local.Value = "second";
            fiber.Switch();
            return values;
        });

        seen.Should().Equal("first", "second");
    }

    [Fact]
    public void the_main_fiber_keeps_its_own_execution_context_whatever_its_fibers_do()
    {
        var seen = OnFreshThread.Run(() =>
        {
            var local = new AsyncLocal<string>();
            local.Value = "main";
            var main = Fiber.Current;
            var values = new List<string?>();
            var fiber = new Fiber(() =>
            {
                local.Value = "changed in the fiber";
                main.Switch();
            });

            fiber.Switch();
            values.Add(local.Value);
            fiber.Switch(); // the fiber ends and its thread leaves its context
            values.Add(local.Value);
            return values;
        });

        seen.Should().Equal("main", "main");
    }

    [Fact]
    public void kill_and_dispose_of_a_main_fiber_are_refused_or_ignored()
    {
        OnFreshThread.Run(() =>
        {
            Record.Exception(() => Fiber.Current.Kill()).Should().BeOfType<InvalidOperationException>();
            Fiber.Current.Dispose();
            Fiber.Current.IsDead.Should().BeFalse();
        });
    }

    private static void ThrowFromDeepInside(int depth)
    {
        if (depth > 0)
        {
            ThrowFromDeepInside(depth - 1);
            return;
        }

        throw new InvalidOperationException("boom at depth 0");
    }
}
