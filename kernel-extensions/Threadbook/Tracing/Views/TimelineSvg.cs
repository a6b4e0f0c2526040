using Threadbook.Tracing.Timeline;

namespace Threadbook.Tracing;

/// <summary>
/// Draws a trace as an inline SVG timeline: one lane per thread, running, waiting and blocked stretches in
/// distinct colours, arrows from the thread that released, set or notified to the thread it woke, and hover text
/// naming every thread and object. The SVG has no script, style sheet or external resource, so it looks the same
/// in Jupyter, VS Code, a GitHub preview and a static page, and it stays under about 500 KB however long the
/// trace: detail too fine to see is merged, and a note on the picture says so.
/// </summary>
public static class TimelineSvg
{
    /// <summary>The SVG markup for <paramref name="trace"/> (a small "nothing was recorded" picture when it has no events).</summary>
    public static string Render(Trace trace)
    {
        ArgumentNullException.ThrowIfNull(trace);
        return TimelineDrawing.Draw(TimelineLayout.Of(trace));
    }
}
