namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about an OS wait handle — <see cref="Mutex"/>, <see cref="Semaphore"/>,
/// <see cref="ManualResetEvent"/>, <see cref="AutoResetEvent"/> or another <see cref="EventWaitHandle"/>:
/// whether its handle is still open, and, for a manual-reset event only, whether it is set. Everything else
/// (owner, count, waiters) is not exposed, and probing it would change it: <c>WaitOne(0)</c> acquires a mutex,
/// takes a semaphore slot and resets an auto-reset event. The view says so instead.
/// </summary>
public sealed class WaitHandleSummary : FactSheet
{
    private readonly (string Fact, string Value)[] _stateFacts;

    private WaitHandleSummary(WaitHandle handle)
    {
        Kind = TypeName.Of(handle.GetType());
        IsClosed = Probe.Value(() => handle.SafeWaitHandle.IsClosed);
        // Only a manual-reset event is left as it was by a zero-timeout wait.
        IsSet = handle is ManualResetEvent ? Probe.Value(() => handle.WaitOne(0)) : null;
        _stateFacts = StateFacts(handle, IsSet);
    }

    /// <summary>The handle's type name (Mutex, Semaphore, ManualResetEvent, AutoResetEvent, EventWaitHandle, …).</summary>
    public string Kind { get; }

    /// <summary>True once the handle is closed (disposed); null when that could not be read.</summary>
    public bool? IsClosed { get; }

    /// <summary>For a <see cref="ManualResetEvent"/>: whether it is set. Null for every other kind, or when disposed.</summary>
    public bool? IsSet { get; }

    /// <summary>Summarises <paramref name="handle"/> without changing it.</summary>
    public static WaitHandleSummary Of(WaitHandle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        return new WaitHandleSummary(handle);
    }

    /// <inheritdoc />
    protected override string Title => Kind;

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("handle", IsClosed switch { true => "closed (disposed)", false => "open", null => "unknown" }),
        .. _stateFacts,
        ("waiting threads", NotExposed),
    ];

    private static (string Fact, string Value)[] StateFacts(WaitHandle handle, bool? isSet) => handle switch
    {
        Mutex =>
        [
            ("owner", NotExposed),
            ("free or held", $"{NotExposed} (WaitOne(0) would acquire it)"),
        ],
        Semaphore =>
        [
            ("current count", $"{NotExposed} (WaitOne(0) would take a slot, Release would add one)"),
            ("maximum count", NotExposed),
        ],
        ManualResetEvent =>
        [
            ("set", YesNo(isSet, "unknown (disposed)")),
            ("how it was read", "WaitOne(0), which leaves a manual-reset event as it is"),
        ],
        AutoResetEvent => [("set", $"{NotExposed} (WaitOne(0) would reset it)")],
        EventWaitHandle =>
        [
            ("reset mode", NotExposed),
            ("set", $"{NotExposed} (WaitOne(0) would reset an auto-reset event)"),
        ],
        _ => [("state", NotExposed)],
    };
}
