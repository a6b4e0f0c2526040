namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="ManualResetEventSlim"/>: whether it is set, its spin count, and whether it was
/// disposed (found with <c>Wait(0)</c>, which cannot change a manual-reset event). Its waiters are not exposed.
/// </summary>
public sealed class ManualResetEventSlimSummary : FactSheet
{
    private ManualResetEventSlimSummary(ManualResetEventSlim signal)
    {
        IsSet = Probe.Value(() => signal.IsSet);
        SpinCount = Probe.Value(() => signal.SpinCount);
        IsDisposed = Probe.Disposed(() => signal.Wait(0));
    }

    /// <summary>True when the event is set (waiters pass).</summary>
    public bool? IsSet { get; }

    /// <summary>How many times a waiter spins before it blocks.</summary>
    public int? SpinCount { get; }

    /// <summary>True once disposed; null when that could not be found out.</summary>
    public bool? IsDisposed { get; }

    /// <summary>Summarises <paramref name="signal"/> without changing it.</summary>
    public static ManualResetEventSlimSummary Of(ManualResetEventSlim signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        return new ManualResetEventSlimSummary(signal);
    }

    /// <inheritdoc />
    protected override string Title => "ManualResetEventSlim";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("set", YesNo(IsSet)),
        ("spin count", Number(SpinCount)),
        ("waiting threads", NotExposed),
        ("disposed", YesNo(IsDisposed)),
    ];
}
