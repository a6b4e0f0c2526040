using System.Globalization;

namespace Threadbook.Introspection;

/// <summary>
/// What a learner needs to know about a <see cref="Task"/> or <see cref="Task{TResult}"/>: id, status, and the
/// outcome (the result, or the exceptions of a faulted task). Never blocks: the result is read only from a task
/// that has already finished successfully.
/// </summary>
public sealed class TaskSummary : FactSheet
{
    /// <summary>How many inner exceptions of a faulted task are listed; the rest are counted.</summary>
    public const int MaxListedExceptions = 3;

    private TaskSummary(Task task)
    {
        Id = task.Id;
        Status = task.Status;
        // An async method's Task is a Task<VoidTaskResult> at run time: it has no result a learner can see.
        var resultType = OpenGeneric.ArgumentsOf(task.GetType(), typeof(Task<>))?[0];
        ResultType = resultType?.FullName == "System.Threading.Tasks.VoidTaskResult" ? null : resultType;
        if (Status == TaskStatus.RanToCompletion && ResultType is not null)
        {
            Result = Probe.Text(Probe.Reference(() => task.GetType().GetProperty(nameof(Task<int>.Result))?.GetValue(task)));
        }

        if (Status == TaskStatus.Faulted && Probe.Reference(() => task.Exception?.Flatten()) is { } error)
        {
            Exceptions = error.InnerExceptions.Select(Probe.Text).ToArray();
        }
    }

    /// <summary>The task's id (assigned by the runtime when first asked for).</summary>
    public int Id { get; }

    /// <summary>The task's status when the summary was taken.</summary>
    public TaskStatus Status { get; }

    /// <summary>The <c>TResult</c> of a <see cref="Task{TResult}"/>; null for a task without a result.</summary>
    public Type? ResultType { get; }

    /// <summary>The result as text, when the task has one and finished successfully; otherwise null.</summary>
    public string? Result { get; }

    /// <summary>A faulted task's exceptions (the inner exceptions of its flattened <see cref="AggregateException"/>) as <c>Type: message</c>.</summary>
    public IReadOnlyList<string> Exceptions { get; } = [];

    /// <summary>Summarises <paramref name="task"/> without waiting for it.</summary>
    public static TaskSummary Of(Task task)
    {
        ArgumentNullException.ThrowIfNull(task);
        return new TaskSummary(task);
    }

    /// <inheritdoc />
    protected override string Title =>
        $"{(ResultType is null ? "Task" : $"Task<{TypeName.Of(ResultType)}>")} #{Id.ToString(CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
        [("id", Id.ToString(CultureInfo.InvariantCulture)), ("status", Explain(Status)), .. OutcomeFacts()];

    /// <summary>The result or exception rows, shared with a <see cref="ValueTaskSummary"/> backed by this task.</summary>
    internal IEnumerable<(string Fact, string Value)> OutcomeFacts()
    {
        switch (Status)
        {
            case TaskStatus.RanToCompletion:
                yield return ("result", Result ?? "none (a Task without a result)");
                break;
            case TaskStatus.Canceled:
                yield return ("result", "none: canceled (awaiting it throws TaskCanceledException)");
                break;
            case TaskStatus.Faulted:
                yield return ("exception", $"AggregateException with {Exceptions.Count} inner exception(s) (await rethrows the first)");
                for (var i = 0; i < Math.Min(Exceptions.Count, MaxListedExceptions); i++)
                {
                    yield return ($"inner exception {i + 1}", Exceptions[i]);
                }

                if (Exceptions.Count > MaxListedExceptions)
                {
                    yield return ("more", $"and {Exceptions.Count - MaxListedExceptions} more");
                }

                break;
            default:
                yield return ("result", "not yet: the task has not finished (not read: .Result would block)");
                break;
        }
    }

    private static string Explain(TaskStatus status) => status switch
    {
        TaskStatus.Created => "Created: not started yet (call Start, or use Task.Run)",
        TaskStatus.WaitingForActivation => "WaitingForActivation: waits for something else to complete it (an async method, a continuation, a TaskCompletionSource)",
        TaskStatus.WaitingToRun => "WaitingToRun: queued, waiting for a thread",
        TaskStatus.Running => "Running: on a thread now",
        TaskStatus.WaitingForChildrenToComplete => "WaitingForChildrenToComplete: its own work is done, attached child tasks are not",
        TaskStatus.RanToCompletion => "RanToCompletion: finished successfully",
        TaskStatus.Canceled => "Canceled",
        TaskStatus.Faulted => "Faulted: it threw",
        _ => status.ToString(),
    };
}
