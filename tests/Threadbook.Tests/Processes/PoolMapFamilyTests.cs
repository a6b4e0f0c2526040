using System.Diagnostics;
using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>The rest of Python's <c>Pool</c>: imap, map_async, starmap, chunksize, with Python's semantics.</summary>
public class PoolMapFamilyTests(SharedPool shared) : IClassFixture<SharedPool>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ProcessPool _pool = shared.Pool;

    [Fact]
    public void imap_yields_the_first_result_while_a_later_task_still_runs()
    {
        // Item 1 is slow: item 0's result must come out of the iterator before item 1 finished.
        using var results = _pool.Imap<int, int>(Jobs.SleepThenReturn, [10, 3000, 10]).GetEnumerator();
        var stopwatch = Stopwatch.StartNew();

        results.MoveNext().Should().BeTrue();
        results.Current.Should().Be(10);
        var firstAt = stopwatch.Elapsed;
        results.MoveNext().Should().BeTrue();
        results.Current.Should().Be(3000);
        var secondAt = stopwatch.Elapsed;

        secondAt.Should().BeGreaterThan(firstAt, "the second result waited for its slow task, the first did not");
        results.MoveNext().Should().BeTrue();
        results.Current.Should().Be(10);
        results.MoveNext().Should().BeFalse();
    }

    [Fact]
    public void imap_throws_a_failed_calls_exception_at_its_position()
    {
        var seen = new List<int>();
        var iterate = () =>
        {
            foreach (var value in _pool.Imap<int, int>(Jobs.FailOnThree, [1, 2, 3, 4]))
            {
                seen.Add(value);
            }
        };

        iterate.Should().Throw<InvalidOperationException>().WithMessage("three is not allowed");
        seen.Should().Equal(1, 2);
    }

    [Fact]
    public void a_chunked_map_keeps_item_order_and_sends_one_task_per_chunk()
    {
        var submittedBefore = _pool.Snapshot().Submitted;

        var results = _pool.Map<int, int>(Jobs.Plus, Enumerable.Range(0, 50), chunksize: 10);

        results.Should().Equal(Enumerable.Range(100, 50));
        (_pool.Snapshot().Submitted - submittedBefore).Should().Be(5, "50 items in chunks of 10 are five tasks");
    }

    [Fact]
    public void map_async_calls_back_once_with_the_whole_list_before_it_is_ready()
    {
        IReadOnlyList<int>? calledWith = null;
        var calls = 0;

        var result = _pool.MapAsync<int, int>(Jobs.Plus, [1, 2, 3], callback: list =>
        {
            calledWith = list;
            Interlocked.Increment(ref calls);
        });

        result.Get(Patience).Should().BeAssignableTo<IReadOnlyList<int>>().Which.Should().Equal(101, 102, 103);
        calls.Should().Be(1);
        calledWith.Should().Equal(101, 102, 103);
    }

    [Fact]
    public void starmap_spreads_each_tuple_over_the_functions_arguments()
    {
        _pool.Starmap<int, int, int>(Jobs.Multiply, [(2, 3), (4, 5)]).Should().Equal(6, 20);
        _pool.Starmap<int, int, int, int>(Jobs.Add3, [(1, 2, 3)], chunksize: 1).Should().Equal(6);
        _pool.Starmap(Jobs.Multiply, [new object?[] { 7, 6 }]).Should().Equal(42);
        ((IReadOnlyList<int>)_pool.StarmapAsync<int, int, int>(Jobs.Multiply, [(3, 3)]).Get(Patience)!).Should().Equal(9);
    }

    [Fact]
    public void a_chunksize_below_one_is_refused_with_pythons_message()
    {
        var map = () => _pool.Map<int, int>(Jobs.Plus, [1], chunksize: 0);
        var imap = () => _pool.Imap<int, int>(Jobs.Plus, [1], chunksize: 0);

        map.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Chunksize must be 1+.*");
        imap.Should().Throw<ArgumentOutOfRangeException>().WithMessage("Chunksize must be 1+, not 0*");
    }
}
