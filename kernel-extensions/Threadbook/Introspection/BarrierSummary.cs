namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="Barrier"/>: participants, how many have not yet arrived in the current
/// phase, and the phase number. Which threads have arrived, and whether it was disposed, are not exposed.
/// </summary>
public sealed class BarrierSummary : FactSheet
{
    private BarrierSummary(Barrier barrier)
    {
        ParticipantCount = Probe.Value(() => barrier.ParticipantCount);
        ParticipantsRemaining = Probe.Value(() => barrier.ParticipantsRemaining);
        CurrentPhaseNumber = Probe.Value(() => barrier.CurrentPhaseNumber);
    }

    /// <summary>How many participants the barrier waits for in each phase.</summary>
    public int? ParticipantCount { get; }

    /// <summary>Participants that have not yet signalled in the current phase.</summary>
    public int? ParticipantsRemaining { get; }

    /// <summary>The current phase, counted from 0.</summary>
    public long? CurrentPhaseNumber { get; }

    /// <summary>Summarises <paramref name="barrier"/> without signalling it.</summary>
    public static BarrierSummary Of(Barrier barrier)
    {
        ArgumentNullException.ThrowIfNull(barrier);
        return new BarrierSummary(barrier);
    }

    /// <inheritdoc />
    protected override string Title => "Barrier";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
    [
        ("participants", Number(ParticipantCount)),
        ("still to arrive in this phase", Number(ParticipantsRemaining)),
        ("current phase", Number(CurrentPhaseNumber)),
        ("which threads have arrived", NotExposed),
        ("disposed", $"{NotExposed} (a disposed Barrier still answers these)"),
    ];
}
