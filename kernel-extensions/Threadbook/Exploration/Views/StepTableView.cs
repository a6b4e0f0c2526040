using System.Globalization;
using Threadbook.Rendering;

namespace Threadbook.Exploration.Views;

/// <summary>A schedule as a table: one row per step (who, what, the state of every shared variable and primitive after it, who was blocked).</summary>
internal sealed class StepTableView(ScheduleRun run) : IRenderable
{
    public string ToHtml() => Build().ToHtml();

    public string ToText() => Build().ToText();

    private Table Build()
    {
        var table = new Table(["step", "thread", "does", .. run.ObjectNames, "blocked"]) { Caption = $"Schedule {run.Schedule}: {run.Steps.Count} steps" };
        table.AddRow(["0", "", "(start)", .. Values(run.InitialValues), ""]);
        foreach (var step in run.Steps)
        {
            var blocked = string.Join(", ", step.BlockedOn
                .Select((on, thread) => on is null || step.ThreadStates[thread] != VirtualThreadState.Blocked ? null : $"{run.ThreadNames[thread]} on {on}")
                .OfType<string>());
            table.AddRow([step.Number.ToString(CultureInfo.InvariantCulture), step.ThreadName, step.Action, .. Values(step.ValuesAfter), blocked]);
        }

        return table;
    }

    // One cell per row of the run, whatever was recorded.
    private object?[] Values(IReadOnlyList<string> values) => run.ObjectNames.Select((_, row) => (object?)values.ElementAtOrDefault(row)).ToArray();
}
