using System.Net;
using System.Text;
using Threadbook.Exploration.Execution;
using Threadbook.Exploration.Views;
using Threadbook.Rendering;

namespace Threadbook.Exploration;

/// <summary>
/// One schedule run step by step and recorded (<see cref="Explorer.Replay"/>, or the first failing schedule of an
/// exploration): every step, every thread's state at it, the shared values as they changed, how it ended, and what the
/// program printed while it ran. Renders as a timeline (one lane per virtual thread, one column per step, a row per
/// shared variable and primitive), what it printed (when it printed anything) and a step table, all plain HTML without
/// script.
/// </summary>
public sealed class ScheduleRun : IRenderable
{
    internal ScheduleRun(
        Schedule schedule,
        IReadOnlyList<string> threadNames,
        IReadOnlyList<string> objectNames,
        IReadOnlyList<string> objectKinds,
        IReadOnlyList<string> initialValues,
        IReadOnlyList<ScheduleStep> steps,
        IReadOnlyList<VirtualThreadState> finalStates,
        IReadOnlyList<string?> finalBlockedOn,
        string outcome,
        ExplorationBug? bug,
        bool reachedStepBound,
        int? divergedAtStep,
        IReadOnlyList<string> output,
        int outputLinesDropped)
    {
        Schedule = schedule;
        ThreadNames = threadNames;
        ObjectNames = objectNames;
        ObjectKinds = objectKinds;
        InitialValues = initialValues;
        Steps = steps;
        FinalStates = finalStates;
        FinalBlockedOn = finalBlockedOn;
        Outcome = outcome;
        Bug = bug;
        ReachedStepBound = reachedStepBound;
        DivergedAtStep = divergedAtStep;
        Output = output;
        OutputLinesDropped = outputLinesDropped;
    }

    /// <summary>The schedule as run: which thread took each step.</summary>
    public Schedule Schedule { get; }

    /// <summary>The virtual threads' names; thread number n is <c>ThreadNames[n - 1]</c>.</summary>
    public IReadOnlyList<string> ThreadNames { get; }

    /// <summary>The rows under the lanes: the shared variables, then the primitives the schedule touched.</summary>
    public IReadOnlyList<string> ObjectNames { get; }

    /// <summary>Each row's kind: <c>shared</c>, <c>RLock</c>, <c>Event</c>, …</summary>
    public IReadOnlyList<string> ObjectKinds { get; }

    /// <summary>Each row's state before the first step.</summary>
    public IReadOnlyList<string> InitialValues { get; }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<ScheduleStep> Steps { get; }

    /// <summary>Each thread's state when the schedule ended (finished, or blocked in a deadlock).</summary>
    public IReadOnlyList<VirtualThreadState> FinalStates { get; }

    /// <summary>What each thread still blocked at the end waits for (null for the others).</summary>
    public IReadOnlyList<string?> FinalBlockedOn { get; }

    /// <summary>How it ended: the final state (<c>gl_num = 1</c>), <c>deadlock</c>, <c>t1 threw …</c>.</summary>
    public string Outcome { get; }

    /// <summary>What was wrong, or null when the schedule passed.</summary>
    public ExplorationBug? Bug { get; }

    /// <summary>True when the schedule was cut at <see cref="ExplorationOptions.MaxSteps"/>.</summary>
    public bool ReachedStepBound { get; }

    /// <summary>
    /// Null when the program followed the schedule exactly; else the first step (1-based) where it could not (the program
    /// changed since the schedule was found), from which the replay went on with the lowest-numbered thread that could.
    /// </summary>
    public int? DivergedAtStep { get; }

    /// <summary>
    /// What the program's threads and its setup wrote to the console during this schedule, line by line in the order the
    /// lines were ended, each tagged with its thread: <c>t1: hello</c>, <c>t2 (stderr): oops</c>, <c>setup: …</c>. At
    /// most the first 200 lines (the rest are counted in <see cref="OutputLinesDropped"/>); empty when nothing was
    /// printed or <see cref="ExplorationOptions.CaptureOutput"/> was off.
    /// </summary>
    public IReadOnlyList<string> Output { get; }

    /// <summary>How many more lines the schedule printed beyond those kept in <see cref="Output"/>.</summary>
    public int OutputLinesDropped { get; }

    /// <summary>The timeline: a lane per virtual thread, a column per step, a row per shared variable and primitive.</summary>
    public IRenderable Timeline => new ScheduleTimelineView(this);

    /// <summary>The same schedule as a table, one row per step with the values after it.</summary>
    public IRenderable StepTable => new StepTableView(this);

    /// <summary>C# that runs this schedule again, e.g. in a regression test: <c>Explorer.Replay(program, Schedule.Parse("1,2,1,2"))</c>.</summary>
    public string ReplayCode => $"Explorer.Replay(program, Schedule.Parse(\"{Schedule}\"))";

    /// <summary>One line: how it ended and its schedule.</summary>
    public string Headline => Bug is null
        ? $"{Outcome} after {Steps.Count} step{(Steps.Count == 1 ? "" : "s")} (schedule {Schedule})"
        : $"{Bug.Description} — {Outcome} after {Steps.Count} step{(Steps.Count == 1 ? "" : "s")} (schedule {Schedule})";

    /// <inheritdoc />
    public string ToHtml() => SafeRendering.Html(BuildHtml, Fallback);

    private string BuildHtml()
    {
        var html = new StringBuilder("<div class=\"threadbook-schedule\">");
        html.Append("<div style=\"font-weight:600;margin:4px 0\">").Append(WebUtility.HtmlEncode(Headline)).Append("</div>");
        html.Append(Timeline.ToHtml());
        if (Bug is { Cycle.Count: > 0 } deadlock)
        {
            html.Append(WaitForCycleDrawing.Svg(deadlock.Cycle));
        }

        foreach (var note in Notes())
        {
            html.Append("<div style=\"color:#444\">").Append(WebUtility.HtmlEncode(note)).Append("</div>");
        }

        html.Append(new PrintedOutputView(this).ToHtml());

        html.Append("<details><summary>Step by step</summary>").Append(StepTable.ToHtml()).Append("</details>");
        html.Append("<div style=\"color:#444\">Replay it: <code>").Append(WebUtility.HtmlEncode(ReplayCode)).Append("</code></div>");
        return html.Append("</div>").ToString();
    }

    /// <inheritdoc />
    public string ToText() => SafeRendering.Text(BuildText, Fallback);

    private string BuildText()
    {
        var text = new StringBuilder();
        text.AppendLine(Headline);
        text.AppendLine(Timeline.ToText());
        foreach (var note in Notes())
        {
            text.AppendLine(note);
        }

        if (new PrintedOutputView(this).ToText() is { Length: > 0 } printed)
        {
            text.AppendLine(printed);
        }

        text.AppendLine(StepTable.ToText());
        text.Append("Replay it: ").Append(ReplayCode);
        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Headline;

    internal static ScheduleRun From(ScheduleOutcome outcome, ScheduleExecution execution, int? divergedAtStep)
    {
        var recording = execution.Recording ?? throw new InvalidOperationException("The schedule was not recorded.");
        var (output, dropped) = execution.Output?.Snapshot() ?? ([], 0);
        return new ScheduleRun(
            outcome.Schedule,
            execution.Threads.Select(thread => thread.Name).ToArray(),
            recording.RowNames,
            recording.RowKinds,
            recording.InitialValues,
            recording.Steps(),
            recording.FinalStates,
            recording.FinalBlockedOn,
            outcome.Outcome,
            outcome.Bug,
            outcome.End == ScheduleEnd.StepBound,
            divergedAtStep,
            output,
            dropped);
    }

    private IEnumerable<string> Notes()
    {
        if (Bug is { Kind: BugKind.Deadlock } deadlock)
        {
            foreach (var wait in deadlock.Waits)
            {
                yield return wait;
            }
        }

        if (Bug?.Exception is { } exception && Bug.Kind == BugKind.ThreadException)
        {
            yield return $"{exception.GetType().FullName}: {exception.Message}";
        }

        if (ReachedStepBound)
        {
            yield return $"Cut after {Steps.Count} steps (the step bound).";
        }

        if (DivergedAtStep is { } step)
        {
            yield return $"The program did not fit the schedule from step {step} on (it changed since the schedule was found); the replay went on with the lowest-numbered thread that could.";
        }
    }

    private string Fallback(Exception exception) => $"Schedule {Schedule} (could not be shown: {exception.GetType().Name})";
}
