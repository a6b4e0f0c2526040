namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="Timer"/>: nothing about the timer itself. Its due time and period are
/// set by the constructor and <see cref="Timer.Change(int, int)"/> and are not readable back; whether it was
/// disposed is not exposed either. The process-wide <see cref="Timer.ActiveCount"/> is shown instead.
/// </summary>
public sealed class TimerSummary : FactSheet
{
    private TimerSummary() => ActiveTimersInProcess = Probe.Value(() => Timer.ActiveCount);

    /// <summary>Timers active in the whole process when the summary was taken (all of them, not only this one).</summary>
    public long? ActiveTimersInProcess { get; }

    /// <summary>Summarises <paramref name="timer"/>.</summary>
    public static TimerSummary Of(Timer timer)
    {
        ArgumentNullException.ThrowIfNull(timer);
        return new TimerSummary();
    }

    /// <inheritdoc />
    protected override string Title => "System.Threading.Timer";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("due time and period", $"{NotExposed} (set by the constructor or Change, not readable back)"),
        ("disposed", NotExposed),
        ("active timers in this process", $"{Number(ActiveTimersInProcess)} (Timer.ActiveCount: all timers, not only this one)"),
    ];
}
