namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="SemaphoreSlim"/>: its current count. Its maximum, its waiters and whether
/// it was disposed are not exposed (a disposed <see cref="SemaphoreSlim"/> still answers its count).
/// </summary>
public sealed class SemaphoreSlimSummary : FactSheet
{
    private SemaphoreSlimSummary(SemaphoreSlim semaphore) => CurrentCount = Probe.Value(() => semaphore.CurrentCount);

    /// <summary>How many more threads may enter without waiting; null when it could not be read.</summary>
    public int? CurrentCount { get; }

    /// <summary>Summarises <paramref name="semaphore"/> without entering it.</summary>
    public static SemaphoreSlimSummary Of(SemaphoreSlim semaphore)
    {
        ArgumentNullException.ThrowIfNull(semaphore);
        return new SemaphoreSlimSummary(semaphore);
    }

    /// <inheritdoc />
    protected override string Title => "SemaphoreSlim";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("current count", Number(CurrentCount)),
        ("maximum count", NotExposed),
        ("waiting threads", NotExposed),
        ("disposed", $"{NotExposed} (a disposed SemaphoreSlim still answers CurrentCount)"),
    ];
}
