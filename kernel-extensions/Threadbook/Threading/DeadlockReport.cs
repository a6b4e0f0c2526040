using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Threading;

/// <summary>
/// A deadlock among traced locks and semaphores: the cycle of threads each holding what the next one waits
/// for. When <see cref="IsDefinite"/>, every wait in the cycle was ended with a <see cref="DeadlockException"/>
/// carrying this report; when suspected, nothing was ended (see <see cref="DeadlockDetector"/>).
/// Renders as a one-line <see cref="Summary"/>, a text block and a small HTML table.
/// </summary>
public sealed class DeadlockReport : IRenderable
{
    internal DeadlockReport(IReadOnlyList<DeadlockStep> steps, DateTimeOffset detectedAt, bool isDefinite)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Count == 0)
        {
            throw new ArgumentException("A deadlock has at least one step.", nameof(steps));
        }

        Steps = steps;
        DetectedAt = detectedAt;
        IsDefinite = isDefinite;
        Summary = (isDefinite ? "Deadlock: " : "Suspected deadlock: ") + string.Join("; ", steps.Select(step => step.ToText())) + ".";
    }

    /// <summary>
    /// True for a definite deadlock: every wait was untimed and for an <see cref="TracedRLock"/> only its blocked
    /// owner could release, so nothing could end it, and every wait was ended with a <see cref="DeadlockException"/>.
    /// False for a suspected one: a wait had a timeout, or waited for a <see cref="TracedLock"/> or
    /// <see cref="TracedSemaphore"/> another thread may still release; no wait was ended (untimed ones go on waiting,
    /// timed ones return false at their timeout).
    /// </summary>
    public bool IsDefinite { get; }

    /// <summary>The cycle, starting with the thread with the lowest id; each step's holder is the next step's thread.</summary>
    public IReadOnlyList<DeadlockStep> Steps { get; }

    /// <summary>When the cycle was confirmed.</summary>
    public DateTimeOffset DetectedAt { get; }

    /// <summary>
    /// One line: <c>Deadlock: worker-1 (#12) holds lock-A and waits for lock-B, held by worker-2 (#13); worker-2
    /// (#13) holds lock-B and waits for lock-A, held by worker-1 (#12).</c> (<c>Suspected deadlock: …</c> when not
    /// <see cref="IsDefinite"/>). Also the trace event's label.
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

    private string Consequence => IsDefinite
        ? "Nothing could ever end these waits, so each was ended with a DeadlockException."
        : "Nothing was ended: another thread may still release what is waited for (a Lock or Semaphore), or a wait "
          + "has a timeout. Untimed waits go on waiting, as in Python; timed ones return false at their timeout.";

    private string Headline() => (IsDefinite ? "Deadlock" : "Suspected deadlock") + (Steps.Count == 1
        ? $" detected at {DetectedAt:HH:mm:ss.fff}: a thread waits for something it holds itself."
        : $" detected at {DetectedAt:HH:mm:ss.fff}: {Steps.Count} threads wait for each other.");

    private string SafeText(Exception exception) => $"{Summary} (rendering failed: {exception.GetType().Name})";
}
