namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="CountdownEvent"/>: the count it started from, the signals still needed,
/// whether it is set, and whether it was disposed (found with <c>Wait(0)</c>, which does not signal it).
/// </summary>
public sealed class CountdownEventSummary : FactSheet
{
    private CountdownEventSummary(CountdownEvent countdown)
    {
        InitialCount = Probe.Value(() => countdown.InitialCount);
        CurrentCount = Probe.Value(() => countdown.CurrentCount);
        IsSet = Probe.Value(() => countdown.IsSet);
        IsDisposed = Probe.Disposed(() => countdown.Wait(0));
    }

    /// <summary>The count it was created (or last reset) with.</summary>
    public int? InitialCount { get; }

    /// <summary>Signals still needed before it is set.</summary>
    public int? CurrentCount { get; }

    /// <summary>True once the count has reached zero.</summary>
    public bool? IsSet { get; }

    /// <summary>True once disposed; null when that could not be found out.</summary>
    public bool? IsDisposed { get; }

    /// <summary>Summarises <paramref name="countdown"/> without signalling it.</summary>
    public static CountdownEventSummary Of(CountdownEvent countdown)
    {
        ArgumentNullException.ThrowIfNull(countdown);
        return new CountdownEventSummary(countdown);
    }

    /// <inheritdoc />
    protected override string Title => "CountdownEvent";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("initial count", Number(InitialCount)),
        ("signals still needed", Number(CurrentCount)),
        ("set", YesNo(IsSet)),
        ("waiting threads", NotExposed),
        ("disposed", YesNo(IsDisposed)),
    ];
}
