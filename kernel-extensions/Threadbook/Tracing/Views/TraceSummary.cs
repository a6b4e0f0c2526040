using System.Net;
using System.Text;
using Threadbook.Rendering;
using Threadbook.Tracing.Timeline;

namespace Threadbook.Tracing;

/// <summary>
/// The numbers behind a trace: for each thread, time running, waiting and blocked and its waits; for each
/// object, acquisitions (and how many had to wait), wait times, sets and clears, timeouts; the deadlocks
/// reported; and the recording's notes. Rendered as HTML tables or aligned text with the same facts; the
/// properties hold every row, the renderings the most telling ones when there are very many.
/// </summary>
public sealed class TraceSummary : IRenderable
{
    private const int MaxThreadRows = 30;
    private const int MaxObjectRows = 20;
    private const int MaxDeadlockRows = 10;
    private const int MaxNotes = 10;

    private readonly TimelineLayout _layout;

    private TraceSummary(TimelineLayout layout)
    {
        _layout = layout;
        Threads = layout.Lanes.Select(layout.ActivityOf).ToArray();
        Objects = layout.Objects;
        Deadlocks = layout.Deadlocks
            .Select(d => $"at {layout.At(d.Timestamp)}, reported by {layout.Lanes[d.Lane].Label}: {d.Label}")
            .ToArray();
    }

    /// <summary>What was traced.</summary>
    public string Title => _layout.Trace.Title;

    /// <summary>How long the recording lasted.</summary>
    public TimeSpan Duration => TimeText.ToTimeSpan(_layout.End - _layout.Start);

    /// <summary>How many events were recorded.</summary>
    public int EventCount => _layout.Trace.Events.Count;

    /// <summary>Events lost because a thread's buffer was full.</summary>
    public long DroppedEvents => _layout.Trace.DroppedEvents;

    /// <summary>One entry per thread, in lane order.</summary>
    public IReadOnlyList<ThreadActivity> Threads { get; }

    /// <summary>One entry per object, by id.</summary>
    public IReadOnlyList<ObjectActivity> Objects { get; }

    /// <summary>Every deadlock reported: when, by which thread, and the cycle.</summary>
    public IReadOnlyList<string> Deadlocks { get; }

    /// <summary>The recording's remarks (threads still running at the end, limits hit).</summary>
    public IReadOnlyList<string> Notes => _layout.Trace.Notes;

    /// <summary>Summarises <paramref name="trace"/>.</summary>
    public static TraceSummary Of(Trace trace) => new(TimelineLayout.Of(trace));

    /// <inheritdoc />
    public string ToHtml()
    {
        var html = new StringBuilder("<div class=\"threadbook-trace-summary\">");
        html.Append("<p>").Append(WebUtility.HtmlEncode(Headline())).Append("</p>");
        foreach (var table in Tables())
        {
            html.Append(table.ToHtml());
        }

        var notes = ShownNotes();
        if (notes.Count > 0)
        {
            html.Append("<p>Notes:</p><ul>");
            foreach (var note in notes)
            {
                html.Append("<li>").Append(WebUtility.HtmlEncode(note)).Append("</li>");
            }

            html.Append("</ul>");
        }

        return html.Append("</div>").ToString();
    }

    /// <inheritdoc />
    public string ToText()
    {
        var text = new StringBuilder(Headline());
        foreach (var table in Tables())
        {
            text.AppendLine().AppendLine().Append(table.ToText());
        }

        var notes = ShownNotes();
        if (notes.Count > 0)
        {
            text.AppendLine().AppendLine().Append("Notes:");
            foreach (var note in notes)
            {
                text.AppendLine().Append("- ").Append(note);
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => ToText();

    private string Headline()
    {
        var threads = Threads.Count;
        var line = $"Trace \"{Clip(Title, 80)}\": {TimeText.Duration(_layout.End - _layout.Start)}, {TimeText.Count(threads)} thread{(threads == 1 ? "" : "s")}, " +
                   $"{TimeText.Count(EventCount)} events";
        return line + (DroppedEvents > 0 ? $", {TimeText.Count(DroppedEvents)} events dropped (buffers full)" : "") +
               (EventCount == 0 ? ": nothing was recorded." : ".");
    }

    private IEnumerable<Table> Tables()
    {
        if (EventCount == 0 && Objects.Count == 0)
        {
            yield break;
        }

        var threads = new Table("thread", "running ms", "waiting ms", "blocked ms", "waits", "longest wait ms", "timeouts", "at the end") { Caption = "Threads" };
        var shownLanes = _layout.LanesWorthShowing(MaxThreadRows);
        foreach (var lane in shownLanes)
        {
            var thread = Threads[lane];
            threads.AddRow(
                Clip(_layout.Lanes[lane].Label, 50),
                TimeText.TableMilliseconds(thread.Running),
                TimeText.TableMilliseconds(thread.Waiting),
                TimeText.TableMilliseconds(thread.Blocked),
                TimeText.Count(thread.Waits),
                TimeText.TableMilliseconds(thread.LongestWait),
                TimeText.Count(thread.Timeouts),
                AtTheEnd(_layout.Lanes[lane]));
        }

        AddMoreRow(threads, 8, Threads.Count - shownLanes.Count, "threads (the quietest)");
        yield return threads;

        if (Objects.Count > 0)
        {
            var objects = new Table("object", "kind", "acquired", "contended", "waits", "total wait ms", "longest wait ms", "set / cleared / notified", "timeouts") { Caption = "Objects" };
            var shownObjects = Objects.Count <= MaxObjectRows
                ? Objects
                : Objects.OrderByDescending(o => o.TotalWait).ThenByDescending(o => o.Acquisitions + o.Sets + o.Notifications)
                    .Take(MaxObjectRows).OrderBy(o => o.Object.Id).ToArray();
            foreach (var o in shownObjects)
            {
                objects.AddRow(
                    Clip(o.Object.Name, 40),
                    Clip(o.Object.Kind, 20),
                    TimeText.Count(o.Acquisitions),
                    TimeText.Count(o.ContendedAcquisitions),
                    TimeText.Count(o.Waits),
                    TimeText.TableMilliseconds(o.TotalWait),
                    TimeText.TableMilliseconds(o.LongestWait),
                    o.Sets + o.Clears + o.Notifications > 0 ? $"{o.Sets} / {o.Clears} / {o.Notifications}" : "",
                    TimeText.Count(o.Timeouts) + (o.DeadlockedWaits > 0 ? $" (+{o.DeadlockedWaits} deadlocked)" : ""));
            }

            AddMoreRow(objects, 9, Objects.Count - shownObjects.Count, "objects (the least waited on)");
            yield return objects;
        }

        if (Deadlocks.Count > 0)
        {
            var deadlocks = new Table("deadlock") { Caption = "Deadlocks" };
            foreach (var deadlock in Deadlocks.Take(MaxDeadlockRows))
            {
                deadlocks.AddRow(Clip(deadlock, 300));
            }

            AddMoreRow(deadlocks, 1, Deadlocks.Count - MaxDeadlockRows, "deadlock reports");
            yield return deadlocks;
        }
    }

    private string AtTheEnd(LaneTimeline lane) =>
        !lane.StillRunningAtEnd ? "stopped"
        : lane.UnfinishedWait is { } stuck ? $"still {Clip(_layout.WhatFor(stuck), 60)}"
        : "still running";

    private List<string> ShownNotes()
    {
        var notes = Notes.Take(MaxNotes).Select(n => Clip(n, 300)).ToList();
        if (Notes.Count > MaxNotes)
        {
            notes.Add($"… and {Notes.Count - MaxNotes} more notes.");
        }

        return notes;
    }

    private static void AddMoreRow(Table table, int columns, int hidden, string what)
    {
        if (hidden > 0)
        {
            var cells = new object?[columns];
            cells[0] = $"… {TimeText.Count(hidden)} more {what}";
            table.AddRow(cells);
        }
    }

    private static string Clip(string? text, int maxChars) => SafeText.Truncate(SafeText.Clean(text), maxChars);
}
