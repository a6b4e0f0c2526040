namespace Threadbook.Tracing.Timeline;

/// <summary>
/// The words a timeline drawing uses for its three lane states, and what it adds to its header and notes: a trace
/// says running / waiting / blocked on a lock; a sampled CPU timeline says on a CPU / sleeping / ready, waiting for a core.
/// </summary>
/// <param name="Running">The legend's word for <see cref="LaneState.Running"/>.</param>
/// <param name="Waiting">The legend's word for <see cref="LaneState.Waiting"/>.</param>
/// <param name="Blocked">The legend's word for <see cref="LaneState.Blocked"/>.</param>
/// <param name="Sampled">True when the lanes were sampled from the OS: hover text names the state, not a wait, and counts samples, not events.</param>
/// <param name="Headline">Said after the title (the overlap share), or null.</param>
/// <param name="Notes">Lines under the lanes (how the lanes were sampled, what was folded).</param>
internal sealed record TimelineVocabulary(string Running, string Waiting, string Blocked, bool Sampled, string? Headline, IReadOnlyList<string> Notes)
{
    /// <summary>The words of a recorded trace.</summary>
    public static readonly TimelineVocabulary Traced = new("running", "waiting (event, join, sleep)", "blocked on a lock", false, null, []);

    /// <summary>The word for <paramref name="state"/>.</summary>
    public string WordFor(LaneState state) => state switch
    {
        LaneState.Waiting => Waiting,
        LaneState.Blocked => Blocked,
        _ => Running,
    };
}
