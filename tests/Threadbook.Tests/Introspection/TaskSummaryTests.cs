using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class TaskSummaryTests
{
    [Fact]
    public void a_finished_task_of_int_shows_its_result_and_result_type()
    {
        var summary = TaskSummary.Of(Task.FromResult(42));

        summary.Status.Should().Be(TaskStatus.RanToCompletion);
        summary.ResultType.Should().Be<int>();
        summary.Result.Should().Be("42");
        summary.ShouldShowInBoth("Task<int> #", "RanToCompletion", "42");
    }

    [Fact]
    public void a_task_without_a_result_says_so()
    {
        TaskSummary.Of(Task.CompletedTask).ShouldShowInBoth("none (a Task without a result)");
    }

    [Fact]
    public async Task an_async_methods_task_is_not_shown_with_the_runtimes_internal_void_result()
    {
        static async Task WorkAsync() => await Task.Yield();
        var task = WorkAsync();
        await task;

        var summary = TaskSummary.Of(task);

        summary.ResultType.Should().BeNull();
        summary.ShouldShowInBoth("none (a Task without a result)").Should().NotContain("VoidTaskResult");
    }

    [Fact]
    public void an_unfinished_task_is_not_waited_for()
    {
        var promise = new TaskCompletionSource<int>();

        var summary = TaskSummary.Of(promise.Task);

        summary.Result.Should().BeNull();
        summary.ShouldShowInBoth("WaitingForActivation", "not yet: the task has not finished");
        promise.Task.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task a_running_task_shows_its_status_and_no_result()
    {
        using var gate = new ManualResetEventSlim();
        var running = Task.Run(() => { gate.Wait(); return 7; });
        try
        {
            TaskSummary.Of(running).ShouldShowInBoth("Task<int>", "not yet");
        }
        finally
        {
            gate.Set();
            await running;
        }
    }

    [Fact]
    public void a_faulted_task_lists_its_first_inner_exceptions_and_counts_the_rest()
    {
        var errors = Enumerable.Range(1, 5).Select(i => new InvalidOperationException($"failure {i}"));
        var faulted = Task.FromException<string>(new AggregateException(errors));

        var summary = TaskSummary.Of(faulted);

        summary.Exceptions.Should().HaveCount(5, "a nested AggregateException is flattened");
        summary.ShouldShowInBoth(
                "Faulted", "AggregateException with 5 inner exception(s)",
                "InvalidOperationException: failure 1", "InvalidOperationException: failure 3", "and 2 more")
            .Should().NotContain("failure 4");
    }

    [Fact]
    public void a_canceled_task_says_awaiting_it_throws()
    {
        TaskSummary.Of(Task.FromCanceled(new CancellationToken(canceled: true)))
            .ShouldShowInBoth("Canceled", "TaskCanceledException");
    }

    [Fact]
    public void results_and_messages_are_escaped_in_html_and_clipped_to_stay_small()
    {
        var markup = TaskSummary.Of(Task.FromResult("<b>bold</b>"));
        markup.ToHtml().Should().Contain("&lt;b&gt;bold&lt;/b&gt;").And.NotContain("<b>");

        var huge = new string('x', 10_000);
        var faulted = Task.FromException(new AggregateException(Enumerable.Range(0, 5).Select(_ => new Exception($"<script>{huge}"))));
        var view = TaskSummary.Of(faulted);
        view.ShouldShowInBoth("<script>xxx", "and 2 more").Should().Contain("…");
        view.ToHtml().Should().NotContain("<script>");
        TaskSummary.Of(Task.FromResult(huge)).ShouldShowInBoth("xxx…");
    }

    [Fact]
    public void a_result_whose_to_string_throws_is_shown_as_such()
    {
        TaskSummary.Of(Task.FromResult(new Unprintable())).ShouldShowInBoth("(Unprintable: ToString() threw)");
    }

    private sealed class Unprintable
    {
        public override string ToString() => throw new InvalidOperationException("no text");
    }
}
