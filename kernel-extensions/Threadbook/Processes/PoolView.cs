using System.Globalization;
using System.Net;
using Threadbook.Rendering;
using Threadbook.Rendering.Timeline;

namespace Threadbook.Processes;

/// <summary>
/// A pool as a table: one row per worker (number, pid, state, current task, tasks done) under a caption with the
/// pool's state, queue and counts. At most <see cref="MaxRows"/> workers are listed, so a rendering stays under 2 KB;
/// rendering never throws.
/// </summary>
internal sealed class PoolView : IRenderable
{
    private const int MaxRows = 8;
    private const int MaxTaskText = 40;
    private readonly Func<PoolSnapshot> _snapshot;

    private PoolView(Func<PoolSnapshot> snapshot) => _snapshot = snapshot;

    public static PoolView Of(ProcessPool pool) => new(pool.Snapshot);

    /// <summary>The caption line: <c>ProcessPool(5): running · 3 queued · 7 completed · 0 failed</c>.</summary>
    public static string Caption(PoolSnapshot snapshot) =>
        $"ProcessPool({snapshot.Processes}): {snapshot.State.ToString().ToLowerInvariant()} · {snapshot.Queued} queued · " +
        $"{snapshot.Completed} completed · {snapshot.Failed} failed";

    public string ToHtml() => Render(table => table.ToHtml(), failure => $"<pre>{WebUtility.HtmlEncode(failure)}</pre>");

    public string ToText() => Render(table => table.ToText(), failure => failure);

    private string Render(Func<Table, string> render, Func<string, string> shownInstead)
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

            return render(table);
        }
        catch (Exception e)
        {
            return shownInstead($"(ProcessPool could not be shown: {e.GetType().Name}: {SafeText.Truncate(SafeText.Clean(e.Message), 100)})");
        }
    }
}
