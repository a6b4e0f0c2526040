using System.Diagnostics;
using Threadbook.Threading;

namespace Threadbook.Tests.Conformance.CPythonBarrierTests;

/// <summary>
/// CPython's <c>Lib/test/lock_tests.py</c> class <c>BarrierTests</c>, run on <see cref="TracedBarrier"/> (see README.md
/// beside this file for the source, what maps to what, and where the port diverges). One test per upstream test, named
/// after it; Python's timeouts are kept.
/// </summary>
[Trait("Category", "Conformance")]
public sealed class BarrierTests : IDisposable
{
    private const int N = 5;

    /// <summary>Python's <c>defaultTimeout</c>.</summary>
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(2.0);

    private readonly TracedBarrier _barrier = new(N, timeout: DefaultTimeout);

    /// <summary>Python's <c>tearDown</c>: a thread a failed test left at the barrier is sent away.</summary>
    public void Dispose() => _barrier.Abort();

    [Fact]
    public void BarrierTests_test_constructor()
    {
        ((Action)(() => new TracedBarrier(parties: 0))).Should().Throw<ArgumentOutOfRangeException>();
        ((Action)(() => new TracedBarrier(parties: -1))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void BarrierTests_test_barrier() => TestBarrier(passes: 1);

    [Fact]
    public void BarrierTests_test_barrier_10() => TestBarrier(passes: 10);

    [Fact]
    public void BarrierTests_test_wait_return()
    {
        var results = new List<int>();
        RunThreads(() =>
        {
            var r = _barrier.Wait();
            lock (results)
            {
                results.Add(r);
            }
        });

        results.Sum().Should().Be(Enumerable.Range(0, N).Sum());
    }

    [Fact]
    public void BarrierTests_test_action()
    {
        var results = 0;
        var barrier = new TracedBarrier(N, () => Interlocked.Increment(ref results));

        RunThreads(() =>
        {
            barrier.Wait();
            Volatile.Read(ref results).Should().Be(1);
        });
    }

    [Fact]
    public void BarrierTests_test_abort()
    {
        var results1 = 0;
        var results2 = 0;
        RunThreads(() =>
        {
            try
            {
                var i = _barrier.Wait();
                if (i == N / 2)
                {
                    throw new InvalidOperationException("RuntimeError");
                }

                _barrier.Wait();
                Interlocked.Increment(ref results1);
            }
            catch (BrokenBarrierException)
            {
                Interlocked.Increment(ref results2);
            }
            catch (InvalidOperationException)
            {
                _barrier.Abort();
            }
        });

        results1.Should().Be(0);
        results2.Should().Be(N - 1);
        _barrier.IsBroken.Should().BeTrue();
    }

    [Fact]
    public void BarrierTests_test_reset()
    {
        var results1 = 0;
        var results2 = 0;
        var results3 = 0;
        RunThreads(() =>
        {
            var i = _barrier.Wait();
            if (i == N / 2)
            {
                // Wait until the other threads are all in the barrier.
                LockTestTiming.WaitUntil(() => _barrier.WaitingCount >= N - 1, "the other threads wait at the barrier");
                _barrier.Reset();
            }
            else
            {
                try
                {
                    _barrier.Wait();
                    Interlocked.Increment(ref results1);
                }
                catch (BrokenBarrierException)
                {
                    Interlocked.Increment(ref results2);
                }
            }

            // Now, pass the barrier again.
            _barrier.Wait();
            Interlocked.Increment(ref results3);
        });

        results1.Should().Be(0);
        results2.Should().Be(N - 1);
        results3.Should().Be(N);
    }

    [Fact]
    public void BarrierTests_test_abort_and_reset()
    {
        var results1 = 0;
        var results2 = 0;
        var results3 = 0;
        var barrier2 = new TracedBarrier(N);
        RunThreads(() =>
        {
            try
            {
                var i = _barrier.Wait();
                if (i == N / 2)
                {
                    throw new InvalidOperationException("RuntimeError");
                }

                _barrier.Wait();
                Interlocked.Increment(ref results1);
            }
            catch (BrokenBarrierException)
            {
                Interlocked.Increment(ref results2);
            }
            catch (InvalidOperationException)
            {
                _barrier.Abort();
            }

            // Synchronize and reset the barrier: first so that everyone has left it when it is reset, and after so
            // that no one enters it before the reset.
            if (barrier2.Wait() == N / 2)
            {
                _barrier.Reset();
            }

            barrier2.Wait();
            _barrier.Wait();
            Interlocked.Increment(ref results3);
        });

        results1.Should().Be(0);
        results2.Should().Be(N - 1);
        results3.Should().Be(N);
    }

    [Fact]
    public void BarrierTests_test_timeout()
    {
        RunThreads(() =>
        {
            var i = _barrier.Wait();
            if (i == N / 2)
            {
                // One thread is late!
                Thread.Sleep(DefaultTimeout / 2);
            }

            // The default timeout is 2.0 s, so this is shorter.
            ((Action)(() => _barrier.Wait(DefaultTimeout / 4))).Should().Throw<BrokenBarrierException>();
        });
    }

    [Fact]
    public void BarrierTests_test_default_timeout()
    {
        var timeout = TimeSpan.FromSeconds(0.100);
        var barrier = new TracedBarrier(2, timeout: timeout);

        var clock = Stopwatch.StartNew();
        Bunch.Run(() => ((Action)(() => barrier.Wait())).Should().Throw<BrokenBarrierException>(), 1);

        clock.Elapsed.Should().BeGreaterThanOrEqualTo(timeout);
    }

    [Fact]
    public void BarrierTests_test_single_thread()
    {
        var b = new TracedBarrier(1);
        b.Wait();
        b.Wait();
    }

    /// <summary>
    /// Diverges in form only: Python checks <c>repr(barrier)</c> against <c>&lt;…Barrier at …: waiters=2/3&gt;</c> and
    /// <c>…: broken&gt;</c>; the traced barrier's text is <c>Barrier 'name': 2/3 waiting</c> and <c>… broken (3 parties)</c>.
    /// The same facts are checked at the same moments.
    /// </summary>
    [Fact]
    public void BarrierTests_test_repr()
    {
        var barrier = new TracedBarrier(3);
        barrier.ToString().Should().MatchRegex(@"^Barrier '.*': 0/3 waiting$");

        const int Threads = 2;
        Bunch.Run(() => barrier.Wait(LockTestTiming.LongTimeout), Threads, _ =>
        {
            // Threads blocked on barrier.Wait().
            LockTestTiming.WaitUntil(() => barrier.WaitingCount >= Threads, "two threads wait at the barrier");
            barrier.ToString().Should().MatchRegex(@"^Barrier '.*': 2/3 waiting$");

            // Threads unblocked.
            barrier.Wait(LockTestTiming.LongTimeout);
        });

        barrier.ToString().Should().MatchRegex(@"^Barrier '.*': 0/3 waiting$");

        // Abort the barrier.
        barrier.Abort();
        barrier.ToString().Should().MatchRegex(@"^Barrier '.*': broken");
    }

    /// <summary>Python's <c>test_barrier(passes)</c>: every thread passes the barrier in lockstep, <paramref name="passes"/> times.</summary>
    private void TestBarrier(int passes)
    {
        var results0 = 0;
        var results1 = 0;
        RunThreads(() => Multipass(ref results0, ref results1, passes));
    }

    /// <summary>Python's <c>multipass</c>, with its two result lists as counts (only their lengths are checked).</summary>
    private void Multipass(ref int results0, ref int results1, int passes)
    {
        var m = _barrier.Parties;
        m.Should().Be(N);
        for (var i = 0; i < passes; i++)
        {
            Interlocked.Increment(ref results0);
            Volatile.Read(ref results1).Should().Be(i * m);
            _barrier.Wait();
            Interlocked.Increment(ref results1);
            Volatile.Read(ref results0).Should().Be((i + 1) * m);
            _barrier.Wait();
        }

        _barrier.WaitingCount.Should().Be(0);
        _barrier.IsBroken.Should().BeFalse();
    }

    /// <summary>Python's <c>run_threads</c>: <see cref="N"/> threads run <paramref name="body"/>.</summary>
    private static void RunThreads(Action body)
    {
        Bunch.Run(body, N);
    }
}
