using System.Net;
using System.Net.Sockets;
using System.Text;
using Threadbook.Fibers;

namespace Threadbook.Tests.Fibers;

public class HubTests
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    [Fact]
    public void the_notes_foo_bar_example_interleaves_as_the_notes_describe()
    {
        var printed = OnFreshThread.Run(() =>
        {
            var output = new List<string>();
            var hub = new Hub("notes");

            async Task Foo()
            {
                output.Add("Running in foo");
                await Hub.Sleep(0);
                output.Add("Explicit context switch to foo again");
            }

            async Task Bar()
            {
                output.Add("Explicit context to bar");
                await Hub.Sleep(0);
                output.Add("Implicit context switch back to bar");
            }

            var done = hub.JoinAll([hub.Spawn(Foo), hub.Spawn(Bar)], Generous);
            done.Should().HaveCount(2);
            done.Select(c => c.Name).Should().Equal("Foo", "Bar");
            return output;
        });

        printed.Should().Equal(
            "Running in foo",
            "Explicit context to bar",
            "Explicit context switch to foo again",
            "Implicit context switch back to bar");
    }

    [Fact]
    public void spawn_only_queues_a_coroutine_the_hub_starts_it_on_its_next_turn()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            var started = false;
            var coroutine = hub.Spawn(async () =>
            {
                started = true;
                await Hub.Sleep(0);
            });

            coroutine.State.Should().Be(CoroutineState.Pending);
            started.Should().BeFalse();
            coroutine.Join(Generous).Should().BeTrue();
            started.Should().BeTrue();
            coroutine.State.Should().Be(CoroutineState.Succeeded);
            coroutine.Turns.Should().Be(2, "it ran once to its sleep and once after it");
        });
    }

    [Fact]
    public void every_await_continues_on_the_thread_that_runs_the_hub()
    {
        var (runner, seen) = OnFreshThread.Run(() =>
        {
            var threads = new List<(string Where, int Thread)>();
            var hub = new Hub();
            void Note(string where) => threads.Add((where, Environment.CurrentManagedThreadId));

            async Task<int> Child()
            {
                await Task.Delay(5);
                Note("child after Task.Delay");
                return 7;
            }

            async Task Parent()
            {
                Note("start");
                await Hub.Sleep(0);
                Note("after Sleep(0)");
                await Hub.Sleep(TimeSpan.FromMilliseconds(5));
                Note("after Sleep(5 ms)");
                await Task.Yield();
                Note("after Task.Yield");
                await Task.Delay(5);
                Note("after Task.Delay (a timer thread completed it)");
                await Task.Run(() => Thread.Sleep(5));
                Note("after Task.Run (a pool thread completed it)");
                var child = hub.Spawn(Child);
                (await child).Should().Be(7);
                Note("after awaiting another coroutine");
            }

            hub.RunUntilComplete(Parent, Generous);
            return (Environment.CurrentManagedThreadId, threads);
        });

        seen.Should().HaveCount(8);
        seen.Should().OnlyContain(entry => entry.Thread == runner, "every piece of every coroutine ran on the thread that ran the hub");
    }

    [Fact]
    public void sleeps_end_in_the_order_of_their_deadlines_and_the_others_run_meanwhile()
    {
        var (order, ticksWhileSleeping) = OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            var woke = new List<string>();

            async Task Sleeper(string name, int milliseconds)
            {
                await Hub.Sleep(milliseconds);
                woke.Add(name);
            }

            var sleepers = new[] { hub.Spawn(() => Sleeper("90 ms", 90)), hub.Spawn(() => Sleeper("30 ms", 30)), hub.Spawn(() => Sleeper("60 ms", 60)) };
            var ticks = 0;
            var ticker = hub.Spawn(async () =>
            {
                while (!sleepers.All(s => s.IsCompleted))
                {
                    ticks++;
                    await Hub.Sleep(1);
                }
            });

            hub.JoinAll([.. sleepers, ticker], Generous).Should().HaveCount(4);
            return (woke, ticks);
        });

        order.Should().Equal("30 ms", "60 ms", "90 ms");
        ticksWhileSleeping.Should().BeGreaterThan(1, "a sleeping coroutine lets the others run");
    }

    [Fact]
    public void join_all_with_a_timeout_returns_the_coroutines_that_ended()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            var quick = hub.Spawn(async () => await Hub.Sleep(0), "quick");
            var slow = hub.Spawn(async () => await Hub.Sleep(TimeSpan.FromMinutes(10)), "slow");

            var done = hub.JoinAll([quick, slow], TimeSpan.FromMilliseconds(50));

            done.Should().Equal(quick);
            slow.State.Should().Be(CoroutineState.Suspended);
            hub.Coroutines.Should().Equal(slow);
            hub.Run(TimeSpan.Zero).Should().BeFalse("the slow one still sleeps");
        });
    }

    [Fact]
    public void an_exception_in_a_coroutine_is_kept_and_the_others_go_on()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub { ReportFailures = false };
            var finished = new List<string>();

            async Task<int> Bad()
            {
                await Hub.Sleep(0);
                throw new InvalidOperationException("boom");
            }

            async Task Good(string name)
            {
                await Hub.Sleep(0);
                await Hub.Sleep(0);
                finished.Add(name);
            }

            var bad = hub.Spawn(Bad);
            var good = new[] { hub.Spawn(() => Good("a")), hub.Spawn(() => Good("b")) };
            hub.JoinAll([bad, .. good], Generous).Should().HaveCount(3, "joinall does not raise; it waits for all");

            bad.State.Should().Be(CoroutineState.Faulted);
            bad.IsSuccessful.Should().BeFalse();
            bad.Exception.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Be("boom");
            Record.Exception(() => bad.Result).Should().BeOfType<InvalidOperationException>("Result rethrows, like gevent's get()");
            bad.Task.IsFaulted.Should().BeTrue();
            finished.Should().Equal("a", "b");
            good.Should().OnlyContain(c => c.IsSuccessful);

            Record.Exception(() => hub.RunUntilComplete(Bad, Generous)).Should().BeOfType<InvalidOperationException>();
        });
    }

    [Fact]
    public void a_failure_is_reported_on_standard_error_like_gevent_prints_it()
    {
        var errors = new StringWriter();
        var original = Console.Error;
        Console.SetError(errors);
        try
        {
            OnFreshThread.Run(() =>
            {
                var hub = new Hub();
                hub.Spawn(async () =>
                {
                    await Hub.Sleep(0);
                    throw new FormatException("bad input");
                }, "parser").Join(Generous).Should().BeTrue();
            });
        }
        finally
        {
            Console.SetError(original);
        }

        errors.ToString().Should().Contain("parser").And.Contain("FormatException").And.Contain("bad input");
    }

    [Fact]
    public void a_coroutines_result_is_read_from_result_or_by_awaiting_it()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            var answer = hub.Spawn(async () =>
            {
                await Hub.Sleep(0);
                return 42;
            });
            Record.Exception(() => answer.Result).Should().BeOfType<InvalidOperationException>("it has not ended yet");

            var doubled = hub.RunUntilComplete(async () => await answer * 2, Generous);

            doubled.Should().Be(84);
            answer.Result.Should().Be(42);
            answer.Task.Result.Should().Be(42);
        });
    }

    [Fact]
    public void a_canceled_coroutine_ends_canceled()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            using var cancel = new CancellationTokenSource();
            cancel.Cancel();
            var coroutine = hub.Spawn(async () => await Task.Delay(1000, cancel.Token));
            coroutine.Join(Generous).Should().BeTrue();
            coroutine.State.Should().Be(CoroutineState.Canceled);
            coroutine.Exception.Should().BeAssignableTo<OperationCanceledException>();
            coroutine.Task.IsCanceled.Should().BeTrue();
        });
    }

    [Fact]
    public void a_hundred_thousand_coroutines_spawn_sleep_and_join_on_one_thread()
    {
        const int Count = 100_000;
        var (succeeded, turns, threads, runner, finished) = OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            var threadIds = new HashSet<int>();
            var coroutines = new Coroutine[Count];
            for (var i = 0; i < Count; i++)
            {
                coroutines[i] = hub.Spawn(async () =>
                {
                    threadIds.Add(Environment.CurrentManagedThreadId);
                    await Hub.Sleep(0);
                    threadIds.Add(Environment.CurrentManagedThreadId);
                });
            }

            var done = hub.JoinAll(coroutines, TimeSpan.FromMinutes(1));
            return (done.Count(c => c.IsSuccessful), coroutines.Sum(c => c.Turns), threadIds, Environment.CurrentManagedThreadId, hub.FinishedCount);
        });

        succeeded.Should().Be(Count);
        finished.Should().Be(Count);
        turns.Should().Be(2 * Count);
        threads.Should().Equal(runner);
    }

    [Fact]
    public void loopback_socket_io_cooperates_many_clients_wait_at_once_on_the_hub_thread()
    {
        const int Clients = 40;
        var (replies, maxInFlight, wrongThread, socketsLeftOpen) = OnFreshThread.Run(() =>
        {
            var hub = new Hub("echo");
            var runner = Environment.CurrentManagedThreadId;
            var sockets = new List<Socket>();
            var inFlight = 0;
            var maxSeen = 0;
            var offThread = 0;
            void OnHubThread()
            {
                if (Environment.CurrentManagedThreadId != runner)
                {
                    offThread++;
                }
            }

            using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(Clients);
            var port = ((IPEndPoint)listener.LocalEndPoint!).Port;

            async Task Echo(Socket connection)
            {
                using (connection)
                {
                    var buffer = new byte[256];
                    int read;
                    while ((read = await connection.ReceiveAsync(buffer)) > 0)
                    {
                        OnHubThread();
                        await connection.SendAsync(buffer.AsMemory(0, read));
                        OnHubThread();
                    }
                }
            }

            // The server: accepts exactly as many connections as there are clients, each served by its own coroutine.
            var handlers = new List<Coroutine>();
            var acceptor = hub.Spawn(async () =>
            {
                for (var i = 0; i < Clients; i++)
                {
                    var connection = await listener.AcceptAsync();
                    OnHubThread();
                    sockets.Add(connection);
                    handlers.Add(hub.Spawn(() => Echo(connection), $"echo-{i}"));
                }
            }, "acceptor");

            async Task<string> Client(int number)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                maxSeen = Math.Max(maxSeen, ++inFlight);
                await socket.ConnectAsync(IPAddress.Loopback, port);
                OnHubThread();
                await socket.SendAsync(Encoding.ASCII.GetBytes($"hello {number}"));
                socket.Shutdown(SocketShutdown.Send);
                var received = new MemoryStream();
                var buffer = new byte[256];
                int read;
                while ((read = await socket.ReceiveAsync(buffer)) > 0)
                {
                    OnHubThread();
                    received.Write(buffer, 0, read);
                }

                inFlight--;
                return Encoding.ASCII.GetString(received.ToArray());
            }

            var clients = Enumerable.Range(0, Clients).Select(i => hub.Spawn(() => Client(i), $"client-{i}")).ToList();
            hub.JoinAll([acceptor, .. clients], Generous).Should().HaveCount(Clients + 1);
            hub.JoinAll(handlers, Generous).Should().HaveCount(Clients);
            clients.Should().OnlyContain(c => c.IsSuccessful);
            return (clients.Select(c => c.Result).ToList(), maxSeen, offThread, sockets.Count(s => !s.SafeHandle.IsClosed));
        });

        replies.Should().Equal(Enumerable.Range(0, Clients).Select(i => $"hello {i}"));
        maxInFlight.Should().Be(Clients, "every client was waiting on its socket while the others ran");
        wrongThread.Should().Be(0, "every continuation after socket I/O came back to the hub's thread");
        socketsLeftOpen.Should().Be(0);
    }

    [Fact]
    public void inside_a_coroutine_join_all_is_refused_and_join_all_async_waits_without_blocking()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            Exception? refused = null;
            IReadOnlyList<Coroutine>? joined = null;
            var log = new List<string>();

            async Task Worker(string name)
            {
                await Hub.Sleep(0);
                log.Add(name);
            }

            hub.RunUntilComplete(async () =>
            {
                var workers = new[] { hub.Spawn(() => Worker("w1")), hub.Spawn(() => Worker("w2")) };
                refused = Record.Exception(() => hub.JoinAll(workers));
                joined = await hub.JoinAllAsync(workers, Generous);
                log.Add("main joined");
            }, Generous);

            refused.Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("JoinAllAsync");
            joined.Should().HaveCount(2);
            log.Should().Equal("w1", "w2", "main joined");
        });
    }

    [Fact]
    public void a_coroutine_spawned_from_another_thread_still_runs_on_the_hub_thread()
    {
        var (runner, ranOn) = OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            var thread = 0;
            hub.RunUntilComplete(async () =>
            {
                var spawned = await Task.Run(() => hub.Spawn(async () =>
                {
                    await Hub.Sleep(0);
                    thread = Environment.CurrentManagedThreadId;
                }, "from the pool"));
                await spawned;
            }, Generous);
            return (Environment.CurrentManagedThreadId, thread);
        });

        ranOn.Should().Be(runner);
    }

    [Fact]
    public void run_until_complete_gives_up_after_its_timeout()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub();
            Record.Exception(() => hub.RunUntilComplete(async () => await Hub.Sleep(TimeSpan.FromMinutes(10)), TimeSpan.FromMilliseconds(20)))
                .Should().BeOfType<TimeoutException>();
            hub.Coroutines.Should().ContainSingle().Which.State.Should().Be(CoroutineState.Suspended);
        });
    }

    [Fact]
    public void sleep_outside_a_hub_coroutine_is_refused()
    {
        Record.Exception(() => Hub.Sleep(0)).Should().BeOfType<InvalidOperationException>().Which.Message.Should().Contain("hub.Spawn");
        Record.Exception(() => Hub.Sleep(-1)).Should().BeOfType<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void current_names_the_hub_and_the_coroutine_that_is_running()
    {
        OnFreshThread.Run(() =>
        {
            var hub = new Hub("h");
            (Hub?, Coroutine?) inside = default;
            var coroutine = hub.Spawn(async () =>
            {
                await Hub.Sleep(0);
                inside = (Hub.Current, Coroutine.Current);
            });
            coroutine.Join(Generous);

            inside.Should().Be((hub, coroutine));
            Hub.Current.Should().BeNull("the loop has returned");
            Coroutine.Current.Should().BeNull();
            hub.ThreadId.Should().Be(Environment.CurrentManagedThreadId);
        });
    }

    [Fact]
    public void a_coroutine_of_another_hub_cannot_be_joined()
    {
        var one = new Hub();
        var other = new Hub();
        var coroutine = other.Spawn(() => Task.CompletedTask);

        Record.Exception(() => one.JoinAll([coroutine], TimeSpan.Zero)).Should().BeOfType<ArgumentException>();
        other.JoinAll([coroutine], Generous).Should().HaveCount(1);
    }
}
