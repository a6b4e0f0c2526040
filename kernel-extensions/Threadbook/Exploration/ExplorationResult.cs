using System.Globalization;
using System.Net;
using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Exploration;

/// <summary>
/// What <see cref="Explorer.Explore"/> found: how many schedules it ran and whether that was all of them, the outcomes
/// with their counts, and the first failing schedule, recorded step by step. Renders as a summary, an outcome table and
/// the failing schedule's timeline and step table.
/// </summary>
public sealed class ExplorationResult : IRenderable
{
    // Below this many schedules the time is mostly the exploration starting its threads, and a rate would mislead.
    private const int RateShownFrom = 100;

    internal ExplorationResult(
        string strategy,
        int schedulesExplored,
        bool isExhausted,
        int redundantSchedules,
        int schedulesCutAtStepBound,
        IReadOnlyList<OutcomeCount> outcomes,
        ScheduleRun? firstBug,
        int? schedulesToFirstBug,
        TimeSpan? timeToFirstBug,
        TimeSpan elapsed,
        string? stoppedBecause,
        string? problem)
    {
        Strategy = strategy;
        SchedulesExplored = schedulesExplored;
        IsExhausted = isExhausted;
        RedundantSchedules = redundantSchedules;
        SchedulesCutAtStepBound = schedulesCutAtStepBound;
        Outcomes = outcomes;
        FirstBug = firstBug;
        SchedulesToFirstBug = schedulesToFirstBug;
        TimeToFirstBug = timeToFirstBug;
        Elapsed = elapsed;
        StoppedBecause = stoppedBecause;
        Problem = problem;
    }

    /// <summary>How the schedules were chosen: <c>exhaustive (depth-first, …)</c>, <c>random walk, seed 1</c>, <c>PCT, depth 3, seed 1</c>.</summary>
    public string Strategy { get; }

    /// <summary>How many schedules were run to their end (or to the step bound).</summary>
    public int SchedulesExplored { get; }

    /// <summary>True when every schedule of the program was covered: the exhaustive search finished and no schedule was cut at the step bound.</summary>
    public bool IsExhausted { get; }

    /// <summary>Schedules the exhaustive search dropped part-way because an equivalent one (the same steps in a harmlessly different order) covers them.</summary>
    public int RedundantSchedules { get; }

    /// <summary>Schedules cut at <see cref="ExplorationOptions.MaxSteps"/>.</summary>
    public int SchedulesCutAtStepBound { get; }

    /// <summary>Each distinct way the schedules ended, with how many ended so.</summary>
    public IReadOnlyList<OutcomeCount> Outcomes { get; }

    /// <summary>How many schedules failed.</summary>
    public int FailingSchedules => Outcomes.Where(outcome => !outcome.Passed).Sum(outcome => outcome.Count);

    /// <summary>True when some schedule failed.</summary>
    public bool FoundBug => FirstBug is not null;

    /// <summary>The first failing schedule, replayed and recorded step by step; null when none failed.</summary>
    public ScheduleRun? FirstBug { get; }

    /// <summary>How many schedules it took to find the first bug (counting that one).</summary>
    public int? SchedulesToFirstBug { get; }

    /// <summary>How long it took to find the first bug.</summary>
    public TimeSpan? TimeToFirstBug { get; }

    /// <summary>How long the exploration took (not counting the recorded replay of the first bug).</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Schedules explored per second.</summary>
    public double SchedulesPerSecond => Elapsed > TimeSpan.Zero ? SchedulesExplored / Elapsed.TotalSeconds : 0;

    /// <summary>Why the exploration stopped before covering every schedule (<c>the limit of 10,000 schedules</c>), or null.</summary>
    public string? StoppedBecause { get; }

    /// <summary>Something that makes the result less trustworthy (a program that does not behave the same when re-run), or null.</summary>
    public string? Problem { get; }

    /// <summary>
    /// One line: <c>Bug found: 2 of 4 schedules fail (check failed: gl_num == 2).</c> or
    /// <c>No bug: all 2 schedules of the program pass.</c>
    /// </summary>
    public string Headline
    {
        get
        {
            var schedules = Count(SchedulesExplored, "schedule");
            if (FirstBug is { Bug: { } bug })
            {
                return $"Bug found: {N(FailingSchedules)} of {schedules} fail ({bug.Description}).";
            }

            return IsExhausted
                ? $"No bug: all {schedules} of the program pass."
                : $"No bug in {schedules}, but not every schedule was tried{(StoppedBecause is null ? "" : $" (stopped at {StoppedBecause})")}.";
        }
    }

    /// <summary>The numbers behind the headline: strategy, coverage, time, schedules per second.</summary>
    public string Facts
    {
        get
        {
            var facts = new List<string>
            {
                Strategy,
                IsExhausted ? "every schedule covered" : StoppedBecause is null ? "not every schedule covered" : $"stopped at {StoppedBecause}",
                SchedulesExplored >= RateShownFrom
                    ? $"{N(SchedulesExplored)} run in {Milliseconds(Elapsed)} ({N(Math.Round(SchedulesPerSecond))} schedules/s)"
                    : $"{N(SchedulesExplored)} run in {Milliseconds(Elapsed)}",
            };
            if (RedundantSchedules > 0)
            {
                facts.Add($"{Count(RedundantSchedules, "equivalent schedule")} cut short");
            }

            if (SchedulesCutAtStepBound > 0)
            {
                facts.Add($"{Count(SchedulesCutAtStepBound, "schedule")} cut at the step bound");
            }

            if (SchedulesToFirstBug is { } found && TimeToFirstBug is { } time)
            {
                facts.Add($"first bug after {Count(found, "schedule")}, {Milliseconds(time)}");
            }

            return string.Join(" · ", facts);
        }
    }

    /// <inheritdoc />
    public string ToHtml() => SafeRendering.Html(BuildHtml, Fallback);

    private string BuildHtml()
    {
        var html = new StringBuilder("<div class=\"threadbook-exploration\" style=\"font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:13px\">");
        var colour = FoundBug ? "#B00000" : IsExhausted ? "#00734f" : "#8a5a00";
        html.Append(CultureInfo.InvariantCulture, $"<div style=\"font-weight:600;font-size:14px;color:{colour}\">{WebUtility.HtmlEncode(Headline)}</div>");
        html.Append("<div style=\"color:#555;margin-bottom:4px\">").Append(WebUtility.HtmlEncode(Facts)).Append("</div>");
        html.Append(OutcomeTable().ToHtml());
        if (Problem is not null)
        {
            html.Append("<div style=\"color:#8a5a00\">").Append(WebUtility.HtmlEncode(Problem)).Append("</div>");
        }

        if (FirstBug is not null)
        {
            html.Append("<div style=\"font-weight:600;margin-top:8px\">The first failing schedule</div>").Append(FirstBug.ToHtml());
        }

        return html.Append("</div>").ToString();
    }

    /// <inheritdoc />
    public string ToText() => SafeRendering.Text(BuildText, Fallback);

    private string BuildText()
    {
        var text = new StringBuilder();
        text.AppendLine(Headline).AppendLine(Facts).AppendLine(OutcomeTable().ToText());
        if (Problem is not null)
        {
            text.AppendLine(Problem);
        }

        if (FirstBug is not null)
        {
            text.AppendLine().AppendLine("The first failing schedule:").Append(FirstBug.ToText());
        }

        return text.ToString().TrimEnd();
    }

    /// <inheritdoc />
    public override string ToString() => Headline;

    private Table OutcomeTable()
    {
        var table = new Table("outcome", "schedules", "verdict", "example schedule") { Caption = "Outcomes" };
        foreach (var outcome in Outcomes)
        {
            table.AddRow(outcome.Outcome, N(outcome.Count), outcome.Bug?.Description ?? "passes", outcome.Example.ToString());
        }

        return table;
    }

    private static string N(double value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Count(int count, string noun) => $"{N(count)} {noun}{(count == 1 ? "" : "s")}";

    private static string Milliseconds(TimeSpan time) =>
        time.TotalMilliseconds < 10
            ? $"{time.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture)} ms"
            : $"{time.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)} ms";

    private string Fallback(Exception exception) => $"Explored {SchedulesExplored} schedules (could not be shown: {exception.GetType().Name})";
}
