namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="Lock"/>: only whether the calling thread holds it. Who else holds it and
/// who waits are not exposed; the view says so, and points at the traced locks that do show them.
/// </summary>
public sealed class LockSummary : FactSheet
{
    private LockSummary(Lock gate) => IsHeldByCallingThread = Probe.Value(() => gate.IsHeldByCurrentThread);

    /// <summary>True when the thread that took the summary holds the lock; null when it could not be read.</summary>
    public bool? IsHeldByCallingThread { get; }

    /// <summary>Summarises <paramref name="gate"/>.</summary>
    public static LockSummary Of(Lock gate)
    {
        // ThrowIfNull(object) would convert the Lock to object, which the compiler rightly flags (CS9216).
        return gate is null ? throw new ArgumentNullException(nameof(gate)) : new LockSummary(gate);
    }

    /// <inheritdoc />
    protected override string Title => "System.Threading.Lock";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("held by the calling thread", YesNo(IsHeldByCallingThread)),
        ("held by another thread", $"{NotExposed} (Lock answers only IsHeldByCurrentThread)"),
        ("waiting threads", NotExposed),
        ("to see owner and waiters", "use Threadbook's TracedLock or TracedRLock"),
    ];
}
