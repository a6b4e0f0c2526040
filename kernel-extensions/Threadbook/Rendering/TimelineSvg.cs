using Threadbook.Tracing;

namespace Threadbook.Rendering;

/// <summary>Placeholder until the timeline renderer lands.</summary>
public static class TimelineSvg
{
    public static string Render(Trace trace) => throw new NotImplementedException();
}
