using System.Reflection;

namespace Threadbook.Introspection;

/// <summary>
/// What a learner needs to know about a <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/>: what backs
/// it (an inline result, a <see cref="Task"/>, or a pooled <c>IValueTaskSource</c>), whether it has completed,
/// and its outcome where reading it cannot consume it.
/// </summary>
public sealed class ValueTaskSummary : FactSheet
{
    private const string SourceNote = "a source-backed ValueTask may be awaited only once";

    private ValueTaskSummary(object boxed, Type? resultType, Func<object?> inlineResult)
    {
        ResultType = resultType;
        // The flags are safe to read whatever backs the value task; reading them from the box serves both kinds.
        IsCompleted = Flag(boxed, nameof(ValueTask.IsCompleted));
        IsCompletedSuccessfully = Flag(boxed, nameof(ValueTask.IsCompletedSuccessfully));
        IsFaulted = Flag(boxed, nameof(ValueTask.IsFaulted));
        IsCanceled = Flag(boxed, nameof(ValueTask.IsCanceled));
        // .NET does not say what backs a ValueTask. Its private _obj field does (null: inline result, a Task, or an
        // IValueTaskSource); reading a source-backed result would consume it, so the backing decides what is safe.
        // A field that is missing or unreadable must not pass for "inline": then nothing that could consume it is read.
        var backingField = boxed.GetType().GetField("_obj", BindingFlags.Instance | BindingFlags.NonPublic);
        object? backing = null;
        var backingKnown = backingField is not null && Probe.Value(() =>
        {
            backing = backingField.GetValue(boxed);
            return true;
        }) == true;
        Backing = !backingKnown ? ValueTaskBacking.Unknown
            : backing switch
            {
                null => ValueTaskBacking.InlineResult,
                Task => ValueTaskBacking.Task,
                _ => ValueTaskBacking.ValueTaskSource,
            };
        BackingTask = backing is Task backingTask ? TaskSummary.Of(backingTask) : null;
        if (Backing == ValueTaskBacking.InlineResult && resultType is not null)
        {
            Result = Probe.Text(inlineResult());
        }
    }

    /// <summary>What backs the value task.</summary>
    public ValueTaskBacking Backing { get; }

    /// <summary>The <c>TResult</c> of a <see cref="ValueTask{TResult}"/>; null for a <see cref="ValueTask"/>.</summary>
    public Type? ResultType { get; }

    /// <summary>True when completed (successfully or not); null when the source no longer answers (already consumed).</summary>
    public bool? IsCompleted { get; }

    /// <summary>True when completed successfully; null when the source no longer answers.</summary>
    public bool? IsCompletedSuccessfully { get; }

    /// <summary>True when it faulted; null when the source no longer answers.</summary>
    public bool? IsFaulted { get; }

    /// <summary>True when it was canceled; null when the source no longer answers.</summary>
    public bool? IsCanceled { get; }

    /// <summary>The inline result as text; null when there is none or reading it could consume the value task.</summary>
    public string? Result { get; }

    /// <summary>The summary of the backing task, when a <see cref="Task"/> backs it.</summary>
    public TaskSummary? BackingTask { get; }

    /// <summary>Summarises <paramref name="valueTask"/> without awaiting or consuming it.</summary>
    public static ValueTaskSummary Of(ValueTask valueTask) => new(valueTask, null, () => null);

    /// <summary>Summarises <paramref name="valueTask"/> without awaiting or consuming it.</summary>
    public static ValueTaskSummary Of<TResult>(ValueTask<TResult> valueTask) =>
        new(valueTask, typeof(TResult), () => valueTask.Result);

    /// <summary>
    /// Summarises a boxed <see cref="ValueTask"/> or <see cref="ValueTask{TResult}"/> whose result type is known
    /// only at run time (as a notebook formatter sees it).
    /// </summary>
    /// <exception cref="ArgumentException">The value is not a value task.</exception>
    public static ValueTaskSummary OfObject(object valueTask)
    {
        ArgumentNullException.ThrowIfNull(valueTask);
        return valueTask as ValueTask? is { } plain
            ? Of(plain)
            : OpenGeneric.Call<ValueTaskSummary>(typeof(ValueTaskSummary), nameof(OfResultType), typeof(ValueTask<>), valueTask)
              ?? throw new ArgumentException($"A {valueTask.GetType()} is not a ValueTask.", nameof(valueTask));
    }

    /// <summary><see cref="Of{TResult}"/> under a name of its own, for <see cref="OfObject"/> to find.</summary>
    private static ValueTaskSummary OfResultType<TResult>(ValueTask<TResult> valueTask) => Of(valueTask);

    private static bool? Flag(object boxed, string property) =>
        Probe.Value(() => (bool)boxed.GetType().GetProperty(property)!.GetValue(boxed)!);

    /// <inheritdoc />
    protected override string Title => ResultType is null ? "ValueTask" : $"ValueTask<{TypeName.Of(ResultType)}>";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
        [("backed by", DescribeBacking()), ("status", DescribeStatus()), .. OutcomeFacts()];

    private string DescribeBacking() => Backing switch
    {
        ValueTaskBacking.InlineResult => "an inline result (completed when made; nothing allocated)",
        ValueTaskBacking.Task => $"Task #{BackingTask!.Id}",
        ValueTaskBacking.ValueTaskSource => $"an IValueTaskSource ({SourceNote})",
        _ => "unknown (this runtime's ValueTask layout is not the one Threadbook reads)",
    };

    private string DescribeStatus() =>
        IsCompleted is null ? "unknown: the source no longer answers (already awaited and recycled?)"
        : IsCompletedSuccessfully == true ? "completed successfully"
        : IsFaulted == true ? "faulted"
        : IsCanceled == true ? "canceled"
        : "not completed";

    private IEnumerable<(string Fact, string Value)> OutcomeFacts()
    {
        if (BackingTask is not null)
        {
            return BackingTask.OutcomeFacts();
        }

        if (ResultType is null)
        {
            return [("result", "none (a ValueTask without a result)")];
        }

        return Backing == ValueTaskBacking.InlineResult
            ? [("result", Result ?? "null")]
            : [("result", $"not read: reading it would consume the value task ({SourceNote})")];
    }
}
