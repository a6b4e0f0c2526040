using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// A deadlock among traced locks and semaphores: the cycle of threads each holding what the next one waits
/// for. Every wait in the cycle was ended with a <see cref="DeadlockException"/> carrying this report.
/// Renders as a one-line <see cref="Summary"/>, a text block and a small HTML table.
/// </summary>
public sealed class DeadlockReport : IRenderable
{
    internal DeadlockReport(IReadOnlyList<DeadlockStep> steps, DateTimeOffset detectedAt)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            throw new ArgumentException("A deadlock has at least one step.", nameof(steps));
        }

        Steps = steps;
        DetectedAt = detectedAt;
        Summary = "Deadlock: " + string.Join("; ", steps.Select(step => step.ToText())) + ".";
    }

    /// <summary>The cycle, starting with the thread with the lowest id; each step's holder is the next step's thread.</summary>
    public IReadOnlyList<DeadlockStep> Steps { get; }

    /// <summary>When the cycle was confirmed.</summary>
    public DateTimeOffset DetectedAt { get; }

    /// <summary>
    /// One line: <c>Deadlock: worker-1 (#12) holds lock-A and waits for lock-B, held by worker-2 (#13); worker-2
    /// (#13) holds lock-B and waits for lock-A, held by worker-1 (#12).</c> Also the trace event's label.
    /// </summary>
    public string Summary { get; }

    /// <summary>The managed ids of the threads in the cycle.</summary>
    public IReadOnlyList<int> ThreadIds => Steps.Select(step => step.ThreadId).ToArray();

    /// <summary>The names of the objects the cycle passes through.</summary>
    public IReadOnlyList<string> ObjectNames => Steps.Select(step => step.WaitsFor).ToArray();

    /// <inheritdoc />
    public string ToHtml()
    {
        try
        {
            var table = new Table("thread", "holds", "waits for", "held by") { Caption = Headline() };
            foreach (var step in Steps)
            {
                table.AddRow(step.ThreadDisplayName, step.Holds, $"{step.WaitsFor} ({step.WaitsForKind})", step.IsSelfWait ? "itself" : step.HolderDisplayName);
            }

            return $"<div class=\"threadbook-deadlock\">{table.ToHtml()}<div>{System.Net.WebUtility.HtmlEncode(Consequence)}</div></div>";
        }
        catch (Exception exception)
        {
            return $"<pre>{System.Net.WebUtility.HtmlEncode(SafeText(exception))}</pre>";
        }
    }

    /// <inheritdoc />
    public string ToText()
    {
        try
        {
            var text = new StringBuilder();
            text.AppendLine(Headline());
            foreach (var step in Steps)
            {
                text.Append("  ").AppendLine(step.ToText());
            }

            text.Append(Consequence);
            return text.ToString();
        }
        catch (Exception exception)
        {
            return SafeText(exception);
        }
    }

    /// <inheritdoc />
    public override string ToString() => Summary;

    private const string Consequence = "Each of these waits was ended with a DeadlockException.";

    private string Headline() => Steps.Count == 1
        ? $"Deadlock detected at {DetectedAt:HH:mm:ss.fff}: a thread waits for something it holds itself."
        : $"Deadlock detected at {DetectedAt:HH:mm:ss.fff}: {Steps.Count} threads wait for each other.";

    private string SafeText(Exception exception) => $"{Summary} (rendering failed: {exception.GetType().Name})";
}
