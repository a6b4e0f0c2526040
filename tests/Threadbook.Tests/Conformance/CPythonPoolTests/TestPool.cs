using System.Diagnostics;
using Threadbook.Processes;
using static Threadbook.Tests.Conformance.CPythonPoolTests.PoolIterables;
using static Threadbook.Tests.Conformance.CPythonPoolTests.PythonTimeouts;

namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>CPython's <c>_TestPool</c> (processes), ported: see this folder's README for what maps to what.</summary>
[Trait("Category", "Conformance")]
public class TestPool(SharedPoolOfFour shared) : IClassFixture<SharedPoolOfFour>
{
    private readonly ProcessPool _pool = shared.Pool;

    private static List<int> Squares(int count) => Enumerable.Range(0, count).Select(PoolFunctions.Sqr).ToList();

    [Fact]
    public void TestPool_test_apply()
    {
        _pool.Apply(PoolFunctions.Sqr, 5).Should().Be(25);
        // papply(sqr, (), {'x': 3}): C# passes arguments by position only; the keyword form is the same call.
        _pool.Apply(PoolFunctions.Sqr, 3).Should().Be(9);
    }

    [Fact]
    public void TestPool_test_map()
    {
        _pool.Map<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 10)).Should().Equal(Squares(10));
        _pool.Map<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 100), chunksize: 20).Should().Equal(Squares(100));
    }

    [Fact]
    public void TestPool_test_starmap()
    {
        var tuples = Enumerable.Range(0, 10).Zip(Enumerable.Range(0, 10).Reverse()).ToList();
        _pool.Starmap<int, int, int>(PoolFunctions.Mul, tuples).Should().Equal(tuples.Select(t => t.First * t.Second));
        tuples = Enumerable.Range(0, 100).Zip(Enumerable.Range(0, 100).Reverse()).ToList();
        _pool.Starmap<int, int, int>(PoolFunctions.Mul, tuples, chunksize: 20).Should().Equal(tuples.Select(t => t.First * t.Second));
    }

    [Fact]
    public void TestPool_test_starmap_async()
    {
        var tuples = Enumerable.Range(0, 100).Zip(Enumerable.Range(0, 100).Reverse()).ToList();

        var result = (IReadOnlyList<int>)_pool.StarmapAsync<int, int, int>(PoolFunctions.Mul, tuples).Get()!;

        result.Should().Equal(tuples.Select(t => t.First * t.Second));
    }

    [Fact]
    public void TestPool_test_map_async()
    {
        ((IReadOnlyList<int>)_pool.MapAsync<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 10)).Get()!).Should().Equal(Squares(10));
    }

    [Fact]
    public void TestPool_test_map_async_callbacks()
    {
        var callArgs = new List<object>();
        _pool.MapAsync<string, int>(PoolFunctions.ParseInt, ["1"], callback: callArgs.Add, errorCallback: callArgs.Add).Wait();
        callArgs.Should().HaveCount(1);
        callArgs[0].Should().BeAssignableTo<IReadOnlyList<int>>().Which.Should().Equal(1);

        _pool.MapAsync<string, int>(PoolFunctions.ParseInt, ["a"], callback: callArgs.Add, errorCallback: callArgs.Add).Wait();
        callArgs.Should().HaveCount(2);
        callArgs[1].Should().BeOfType<FormatException>("int('a') raises ValueError in Python; int.Parse(\"a\") throws FormatException");
    }

    [Fact]
    public void TestPool_test_map_unplicklable()
    {
        // Python: an item whose pickling raises must not hang the pool. Here an item that cannot be sent is refused
        // before anything is queued, with ArgumentException (Python: the RuntimeError the item's __reduce__ raised).
        var items = Enumerable.Repeat<object?>(new Thread(() => { }), 10).ToList();

        var map = () => _pool.Map<object?, object?>(PoolFunctions.Identity, items);

        map.Should().Throw<ArgumentException>().WithMessage("*cannot be sent to another process*");
        _pool.Apply(PoolFunctions.Sqr, 2).Should().Be(4, "the pool still works");
    }

    [Fact]
    public void TestPool_test_map_chunksize()
    {
        var result = _pool.MapAsync<int, int>(PoolFunctions.Sqr, [], chunksize: 1);

        var get = () => result.Get(TimeSpan.FromSeconds(Timeout1));

        get.Should().NotThrow<TimeoutException>("pool.map_async with chunksize stalled on null list");
    }

    [Fact]
    public void TestPool_test_map_handle_iterable_exception()
    {
        // SayWhenError seen at the very first of the iterable
        _pool.Invoking(p => p.Map<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1)).Should().Throw<SayWhenException>();
        // again, make sure it's reentrant
        _pool.Invoking(p => p.Map<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1)).Should().Throw<SayWhenException>();

        _pool.Invoking(p => p.Map<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(10, 3), 1)).Should().Throw<SayWhenException>();

        _pool.Invoking(p => p.Map<int, int>(PoolFunctions.Sqr, SpecialIterable(), 1)).Should().Throw<SayWhenException>();
        _pool.Invoking(p => p.Map<int, int>(PoolFunctions.Sqr, SpecialIterable(), 1)).Should().Throw<SayWhenException>();
    }

    [Fact]
    public void TestPool_test_async()
    {
        var result = _pool.ApplyAsync(PoolFunctions.SqrAfter, [7, Timeout1]);
        var elapsed = Stopwatch.StartNew();

        result.Get().Should().Be(49);

        // assertTimingAlmostEqual(get.elapsed, TIMEOUT1) is a no-op upstream (CHECK_TIMINGS = False); the value arrived.
        elapsed.Elapsed.Should().BeLessThan(Patience);
    }

    [Fact]
    public void TestPool_test_async_timeout()
    {
        var p = new ProcessPool(3);
        try
        {
            var result = p.ApplyAsync(PoolFunctions.SqrAfter, [6, Timeout2 + ShortTimeout]);

            var get = () => result.Get(TimeSpan.FromSeconds(Timeout2));

            get.Should().Throw<TimeoutException>();
        }
        finally
        {
            p.Terminate();
            p.Join();
        }
    }

    [Fact]
    public void TestPool_test_imap()
    {
        _pool.Imap<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 10)).ToList().Should().Equal(Squares(10));

        using (var it = _pool.Imap<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 10)).GetEnumerator())
        {
            for (var i = 0; i < 10; i++)
            {
                it.MoveNext().Should().BeTrue();
                it.Current.Should().Be(i * i);
            }

            it.MoveNext().Should().BeFalse("StopIteration");
        }

        using (var it = _pool.Imap<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 1000), chunksize: 100).GetEnumerator())
        {
            for (var i = 0; i < 1000; i++)
            {
                it.MoveNext().Should().BeTrue();
                it.Current.Should().Be(i * i);
            }

            it.MoveNext().Should().BeFalse("StopIteration");
        }
    }

    [Fact]
    public void TestPool_test_imap_handle_iterable_exception()
    {
        // SayWhenError seen at the very first of the iterable
        NextOf(_pool.Imap<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1).GetEnumerator()).Should().Throw<SayWhenException>();
        // again, make sure it's reentrant
        NextOf(_pool.Imap<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1).GetEnumerator()).Should().Throw<SayWhenException>();

        ExpectSquaresThenSayWhen(_pool.Imap<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(10, 3), 1), 3);

        // SayWhenError seen at start of problematic chunk's results
        ExpectSquaresThenSayWhen(_pool.Imap<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(20, 7), 2), 6);
        ExpectSquaresThenSayWhen(_pool.Imap<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(20, 7), 4), 4);
    }

    [Fact]
    public void TestPool_test_imap_unordered()
    {
        _pool.ImapUnordered<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 10)).Order().Should().Equal(Squares(10));
        _pool.ImapUnordered<int, int>(PoolFunctions.Sqr, Enumerable.Range(0, 1000), chunksize: 100).Order().Should().Equal(Squares(1000));
    }

    [Fact]
    public void TestPool_test_imap_unordered_handle_iterable_exception()
    {
        NextOf(_pool.ImapUnordered<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1).GetEnumerator()).Should().Throw<SayWhenException>();
        NextOf(_pool.ImapUnordered<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1).GetEnumerator()).Should().Throw<SayWhenException>();

        ExpectSomeSquaresThenSayWhen(_pool.ImapUnordered<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(10, 3), 1), 10);
        ExpectSomeSquaresThenSayWhen(_pool.ImapUnordered<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(20, 7), 2), 20);
    }

    [Fact]
    public void TestPool_test_make_pool()
    {
        // ValueError → ArgumentOutOfRangeException
        var minusOne = () => new ProcessPool(-1);
        var zero = () => new ProcessPool(0);
        minusOne.Should().Throw<ArgumentOutOfRangeException>();
        zero.Should().Throw<ArgumentOutOfRangeException>();

        var p = new ProcessPool(3);
        try
        {
            p.WorkerProcessIds.Should().HaveCount(3);
        }
        finally
        {
            p.Close();
            p.Join();
        }
    }

    [Fact]
    public void TestPool_test_terminate()
    {
        // Simulate slow tasks which take "forever" to complete
        var p = new ProcessPool(3);
        var result = p.MapAsync<double, object?>(PoolFunctions.Sleep, Enumerable.Repeat(LongTimeout, 10_000), chunksize: 1);
        Thread.Sleep(TimeSpan.FromSeconds(0.2)); // give some tasks a chance to start
        p.Terminate();

        p.Join(Patience).Should().BeTrue("terminate() stops tasks that would run for minutes");
        result.Ready.Should().BeTrue();
    }

    [Fact]
    public void TestPool_test_empty_iterable()
    {
        // See Issue 12157
        var p = new ProcessPool(1);

        p.Map<int, int>(PoolFunctions.Sqr, []).Should().BeEmpty();
        p.Imap<int, int>(PoolFunctions.Sqr, []).Should().BeEmpty();
        p.ImapUnordered<int, int>(PoolFunctions.Sqr, []).Should().BeEmpty();
        ((IReadOnlyList<int>)p.MapAsync<int, int>(PoolFunctions.Sqr, []).Get()!).Should().BeEmpty();

        p.Close();
        p.Join();
    }

    [Fact]
    public void TestPool_test_context()
    {
        var values = Enumerable.Range(0, 10).ToList();
        ProcessPool p;
        using (p = new ProcessPool(2))
        {
            var r = p.MapAsync<int, int>(PoolFunctions.Sqr, values);
            ((IReadOnlyList<int>)r.Get()!).Should().Equal(Squares(10));
        }

        p.Join();
        // ValueError → InvalidOperationException ("Pool not running")
        p.Invoking(pool => pool.MapAsync<int, int>(PoolFunctions.Sqr, values)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void TestPool_test_traceback()
    {
        // We want ensure that the traceback from the child process is contained in the traceback raised in the main process.
        Exception exc;
        ProcessPool p;
        using (p = new ProcessPool(1))
        {
            exc = p.Invoking(pool => pool.Apply(PoolFunctions.RaiseRuntimeError123)).Should().Throw<Exception>().Which;
        }

        p.Join();
        exc.Should().BeOfType<InvalidOperationException>("type(exc) is RuntimeError");
        exc.Message.Should().Be("123", "exc.args == (123,)");
        var cause = exc.InnerException.Should().BeOfType<RemoteException>("exc.__cause__ is a RemoteTraceback").Subject;
        cause.RemoteStackTrace.Should().Contain(nameof(PoolFunctions.RaiseRuntimeError123)).And.Contain("PoolFunctions.cs:line");
        exc.ToString().Should().Contain(nameof(PoolFunctions.RaiseRuntimeError123), "printing the exception shows the child's frames");

        // _helper_reraises_exception should not make the error a remote exception
        using (p = new ProcessPool(1))
        {
            exc = p.Invoking(pool => pool.Map<int, int>(PoolFunctions.Sqr, ExceptionThrowingGenerator(1, -1), 1)).Should().Throw<Exception>().Which;
            exc.Should().BeOfType<SayWhenException>();
            exc.InnerException.Should().BeNull();
        }

        p.Join();
    }

    [Fact]
    public void TestPool_test_wrapped_exception()
    {
        // Issue #20980: Should not wrap exception when using thread pool
        ProcessPool p;
        using (p = new ProcessPool(1))
        {
            p.Invoking(pool => pool.Apply(PoolFunctions.RaiseRuntimeErrorFoo)).Should().Throw<InvalidOperationException>();
        }

        p.Join();
    }

    [Fact]
    public void TestPool_test_map_no_failfast()
    {
        // Issue #23992: the fail-fast behaviour when an exception is raised during map() would make Pool.join() deadlock.
        var started = Stopwatch.StartNew();

        var run = () =>
        {
            using var p = new ProcessPool(2);
            try
            {
                p.Map<double, int>(PoolFunctions.RaiseLargeValueError, [0, 1]);
            }
            finally
            {
                Thread.Sleep(TimeSpan.FromSeconds(0.5));
                p.Close();
                p.Join();
            }
        };

        run.Should().Throw<ArgumentException>("ValueError → ArgumentException");
        // check that we indeed waited for all jobs
        started.Elapsed.TotalSeconds.Should().BeGreaterThan(0.9);
    }

    [Fact]
    public void TestPool_test_release_task_refs()
    {
        // Issue #29861: task arguments and results should not be kept alive after we are done with them. Divergence:
        // the pool's view keeps its last RecentResultsKept finished tasks (call and value), so the references go once
        // that many more tasks finished.
        var refs = SendAndForget(_pool);
        for (var i = 0; i < ProcessPool.RecentResultsKept; i++)
        {
            _pool.Apply(PoolFunctions.Sqr, i);
        }

        Thread.Sleep(TimeSpan.FromSeconds(Delta)); // let threaded cleanup code run
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        refs.Should().AllSatisfy(r => r.TryGetTarget(out _).Should().BeFalse());
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static List<WeakReference<object>> SendAndForget(ProcessPool pool)
    {
        var objs = Enumerable.Range(0, 10).Select(i => (object)new CountedObject(i)).ToList();
        var refs = objs.Select(o => new WeakReference<object>(o)).ToList();
        pool.Map<object?, object?>(PoolFunctions.Identity, objs);
        return refs;
    }

    private static Func<bool> NextOf(IEnumerator<int> it) => it.MoveNext;

    private static void ExpectSquaresThenSayWhen(IEnumerable<int> results, int before)
    {
        using var it = results.GetEnumerator();
        for (var i = 0; i < before; i++)
        {
            it.MoveNext().Should().BeTrue();
            it.Current.Should().Be(i * i);
        }

        NextOf(it).Should().Throw<SayWhenException>();
    }

    private static void ExpectSomeSquaresThenSayWhen(IEnumerable<int> results, int total)
    {
        // imap_unordered makes it difficult to anticipate the SayWhenError
        var expected = Squares(total);
        var read = () =>
        {
            using var it = results.GetEnumerator();
            for (var i = 0; i < total; i++)
            {
                it.MoveNext().Should().BeTrue();
                expected.Should().Contain(it.Current);
                expected.Remove(it.Current);
            }
        };

        read.Should().Throw<SayWhenException>();
    }
}
