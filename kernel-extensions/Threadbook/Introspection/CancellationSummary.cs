namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="CancellationTokenSource"/> or a <see cref="CancellationToken"/>: whether
/// cancellation was requested and whether it can be canceled at all; for a source, whether it was disposed. A token
/// does not expose whether its source was disposed, nor does either expose a <c>CancelAfter</c> deadline.
/// </summary>
public sealed class CancellationSummary : FactSheet
{
    private CancellationSummary(bool isSource, bool? isCancellationRequested, bool? canBeCanceled, bool? isDisposed)
    {
        IsSource = isSource;
        IsCancellationRequested = isCancellationRequested;
        CanBeCanceled = canBeCanceled;
        IsDisposed = isDisposed;
    }

    /// <summary>True for a <see cref="CancellationTokenSource"/>, false for a <see cref="CancellationToken"/>.</summary>
    public bool IsSource { get; }

    /// <summary>True once cancellation was requested.</summary>
    public bool? IsCancellationRequested { get; }

    /// <summary>False for a token nothing can cancel (<see cref="CancellationToken.None"/>); null for a disposed source.</summary>
    public bool? CanBeCanceled { get; }

    /// <summary>For a source: true once disposed. For a token: null (not exposed).</summary>
    public bool? IsDisposed { get; }

    /// <summary>Summarises <paramref name="source"/>; a disposed source is summarised too.</summary>
    public static CancellationSummary Of(CancellationTokenSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        // A disposed source still answers IsCancellationRequested, but its Token throws ObjectDisposedException.
        return new CancellationSummary(
            isSource: true,
            Probe.Value(() => source.IsCancellationRequested),
            Probe.Value(() => source.Token.CanBeCanceled),
            Probe.Disposed(() => _ = source.Token));
    }

    /// <summary>Summarises <paramref name="token"/>.</summary>
    public static CancellationSummary Of(CancellationToken token) =>
        new(isSource: false, token.IsCancellationRequested, token.CanBeCanceled, isDisposed: null);

    /// <inheritdoc />
    protected override string Title => IsSource ? "CancellationTokenSource" : "CancellationToken";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("cancellation requested", YesNo(IsCancellationRequested)),
        ("can be canceled", CanBeCanceled switch
        {
            true => "yes",
            false => "no: nothing can cancel it (CancellationToken.None or default)",
            null => IsDisposed == true ? "unknown (disposed)" : "unknown",
        }),
        (IsSource ? "disposed" : "source disposed", IsSource ? YesNo(IsDisposed) : NotExposed),
        ("CancelAfter deadline", NotExposed),
    ];
}
