namespace Threadbook.Scheduling;

/// <summary>One operation a controlled thread is about to perform: what, on which object, and what its wait depends on.</summary>
/// <param name="Kind">The operation.</param>
/// <param name="Target">The object it acts on (two operations on different objects commute).</param>
internal readonly record struct ScheduledOperation(OperationKind Kind, IScheduledObject Target)
{
    /// <summary>A second object the same step changes (a condition wait releases its lock), or null.</summary>
    public IScheduledObject? AlsoChanges { get; init; }

    /// <summary>True for a wait with a finite timeout: when nothing else can run, the explorer may let it time out.</summary>
    public bool CanTimeOut { get; init; }

    /// <summary>True for an attempt that never waits (a zero timeout, or a check before waiting): always ready to run.</summary>
    public bool NeverWaits { get; init; }

    /// <summary>What the target needs to judge readiness: an event's count of sets when the wait began.</summary>
    public long Token { get; init; }

    /// <summary>The waiter record of a condition wait, or null.</summary>
    public object? Waiter { get; init; }

    /// <summary>
    /// An operation that may wait up to <paramref name="timeout"/> (<see cref="Timeout.InfiniteTimeSpan"/> for no limit):
    /// never for a zero timeout, maybe timing out for a finite one.
    /// </summary>
    public static ScheduledOperation Until(OperationKind kind, IScheduledObject target, TimeSpan timeout) =>
        new(kind, target) { NeverWaits = timeout == TimeSpan.Zero, CanTimeOut = timeout != Timeout.InfiniteTimeSpan && timeout != TimeSpan.Zero };

    /// <summary>True when this operation only reads its target (two reads of a shared variable commute).</summary>
    public bool IsReadOnly => Kind == OperationKind.Read;

    /// <summary>
    /// True when the order of this operation and <paramref name="other"/> can matter: they touch a common object and
    /// do not both only read it.
    /// </summary>
    public bool ConflictsWith(in ScheduledOperation other)
    {
        var shared = Touches(other.Target) || (other.AlsoChanges is { } also && Touches(also));
        return shared && !(IsReadOnly && other.IsReadOnly);
    }

    private bool Touches(IScheduledObject target) => ReferenceEquals(Target, target) || ReferenceEquals(AlsoChanges, target);
}
