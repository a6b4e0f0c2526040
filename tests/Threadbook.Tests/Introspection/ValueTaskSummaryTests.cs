using System.Threading.Tasks.Sources;
using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class ValueTaskSummaryTests
{
    [Fact]
    public void a_value_task_made_with_a_result_shows_it()
    {
        var summary = ValueTaskSummary.Of(new ValueTask<int>(42));

        summary.Backing.Should().Be(ValueTaskBacking.InlineResult);
        summary.Result.Should().Be("42");
        summary.ShouldShowInBoth("ValueTask<int>", "an inline result", "completed successfully", "42");
    }

    [Fact]
    public void a_default_value_task_is_complete_and_has_no_result()
    {
        ValueTaskSummary.Of(default(ValueTask)).ShouldShowInBoth("ValueTask", "completed successfully", "none (a ValueTask without a result)");
    }

    [Fact]
    public void a_task_backed_value_task_shows_the_tasks_outcome()
    {
        var faulted = new ValueTask<int>(Task.FromException<int>(new TimeoutException("too slow")));

        var summary = ValueTaskSummary.Of(faulted);

        summary.Backing.Should().Be(ValueTaskBacking.Task);
        summary.BackingTask!.Status.Should().Be(TaskStatus.Faulted);
        summary.ShouldShowInBoth("backed by", "Task #", "faulted", "TimeoutException: too slow");
    }

    [Fact]
    public async Task a_source_backed_value_task_is_not_consumed_by_its_summary()
    {
        var source = new OneShotSource();
        var pending = new ValueTask<int>(source, source.Version);

        ValueTaskSummary.Of(pending).ShouldShowInBoth("an IValueTaskSource", "not completed", "not read");
        source.Complete(5);
        var completed = new ValueTask<int>(source, source.Version);
        var summary = ValueTaskSummary.Of(completed);

        summary.Backing.Should().Be(ValueTaskBacking.ValueTaskSource);
        summary.Result.Should().BeNull();
        summary.ShouldShowInBoth("completed successfully", "may be awaited only once");
        (await completed).Should().Be(5, "the summary did not take the result");
    }

    [Fact]
    public async Task a_recycled_source_makes_the_status_unknown_instead_of_throwing()
    {
        var source = new OneShotSource();
        var stale = new ValueTask<int>(source, source.Version);
        source.Complete(1);
        await new ValueTask<int>(source, source.Version);
        source.Reset();

        ValueTaskSummary.Of(stale).ShouldShowInBoth("unknown: the source no longer answers");
    }

    [Fact]
    public void a_boxed_value_task_is_summarised_whatever_its_result_type()
    {
        ValueTaskSummary.OfObject(new ValueTask<string>("hi")).ShouldShowInBoth("ValueTask<string>", "\"hi\"");
        ValueTaskSummary.OfObject(ValueTask.CompletedTask).ShouldShowInBoth("ValueTask");
        FluentActions.Invoking(() => ValueTaskSummary.OfObject(42)).Should().Throw<ArgumentException>();
    }

    /// <summary>A minimal IValueTaskSource, as pooled sources in the runtime work: results are taken once, then it is reset.</summary>
    private sealed class OneShotSource : IValueTaskSource<int>
    {
        private ManualResetValueTaskSourceCore<int> _core;

        public short Version => _core.Version;

        public void Complete(int result) => _core.SetResult(result);

        public void Reset() => _core.Reset();

        public int GetResult(short token) => _core.GetResult(token);

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
