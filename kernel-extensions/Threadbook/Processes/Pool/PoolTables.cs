using System.Globalization;
using System.Net;
using Threadbook.Rendering;

namespace Threadbook.Processes.Pool;

/// <summary>
/// A pool as two tables: one row per worker (number, pid, state, current task, tasks done) under a caption with the
/// pool's state, queue and counts; then the results so far, the last few finished tasks (call, worker pid, value or
/// error, how long it ran). At most <see cref="MaxRows"/> workers and <see cref="ProcessPool.RecentResultsKept"/>
/// results are listed, so a rendering stays a few KB however many tasks ran; rendering never throws.
/// </summary>
internal sealed class PoolTables : IRenderable
{
    private const int MaxRows = 8;
    private const int MaxTaskText = 40;
    private const int MaxOutcomeText = 60;
    private readonly Func<PoolSnapshot> _snapshot;

    private PoolTables(Func<PoolSnapshot> snapshot) => _snapshot = snapshot;

    public static PoolTables Of(ProcessPool pool) => new(pool.Snapshot);

    /// <summary>The caption line: <c>ProcessPool(5): running · 3 queued · 7 completed · 0 failed</c>.</summary>
    public static string Caption(PoolSnapshot snapshot) =>
        $"ProcessPool({snapshot.Processes}): {snapshot.State.ToString().ToLowerInvariant()} · {snapshot.Queued} queued · " +
        $"{snapshot.Completed} completed · {snapshot.Failed} failed";

    /// <summary>The results table's caption: <c>results so far: 3</c>, or <c>results so far: the last 8 of 1,000</c>.</summary>
    public static string ResultsCaption(PoolSnapshot snapshot)
    {
        var finished = snapshot.Completed + snapshot.Failed;
        return finished <= snapshot.Recent.Count
            ? $"results so far: {TimeText.Count(finished)}"
            : $"results so far: the last {snapshot.Recent.Count} of {TimeText.Count(finished)}";
    }

    public string ToHtml() => Render(tables => string.Concat(tables.Select(t => t.ToHtml())), failure => $"<pre>{WebUtility.HtmlEncode(failure)}</pre>");

    public string ToText() => Render(tables => string.Join(Environment.NewLine, tables.Select(t => t.ToText())), failure => failure);

    private static Table Results(PoolSnapshot snapshot)
    {
        var table = new Table("task", "call", "pid", "result", "ran") { Caption = ResultsCaption(snapshot) };
        foreach (var finished in snapshot.Recent)
        {
            table.AddRow(
                "#" + finished.TaskNumber.ToString(CultureInfo.InvariantCulture),
                SafeText.Truncate(SafeText.Clean(finished.Call), MaxTaskText),
                finished.ProcessId?.ToString(CultureInfo.InvariantCulture) ?? "",
                (finished.Succeeded ? "" : "✗ ") + SafeText.Truncate(SafeText.Clean(finished.Outcome), MaxOutcomeText),
                finished.Duration is { } ran ? TimeText.Duration((long)(ran.TotalSeconds * System.Diagnostics.Stopwatch.Frequency)) : "");
        }

        return table;
    }

    private string Render(Func<IEnumerable<Table>, string> render, Func<string, string> shownInstead)
    {
        try
        {
            var snapshot = _snapshot();
            var table = new Table("worker", "pid", "state", "current task", "done") { Caption = Caption(snapshot) };
            foreach (var worker in snapshot.Workers.Take(MaxRows))
            {
                table.AddRow(
                    worker.Number.ToString(CultureInfo.InvariantCulture),
                    worker.ProcessId.ToString(CultureInfo.InvariantCulture),
                    worker.State.ToString().ToLowerInvariant(),
                    worker.CurrentTask is { } task ? SafeText.Truncate(SafeText.Clean(task), MaxTaskText) : "",
                    worker.TasksDone.ToString(CultureInfo.InvariantCulture));
            }

            if (snapshot.Workers.Count > MaxRows)
            {
                table.AddRow("…", "", $"{snapshot.Workers.Count - MaxRows} more", "", "");
            }

            return snapshot.Recent.Count == 0 ? render([table]) : render([table, Results(snapshot)]);
        }
        catch (Exception e)
        {
            return shownInstead($"(ProcessPool could not be shown: {e.GetType().Name}: {SafeText.Truncate(SafeText.Clean(e.Message), 100)})");
        }
    }
}
