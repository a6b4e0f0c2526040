using Threadbook.Tracing;

namespace Threadbook.Rendering;

/// <summary>Placeholder until the summary lands.</summary>
public sealed class TraceSummary : IRenderable
{
    public static TraceSummary Of(Trace trace) => throw new NotImplementedException();

    public string ToHtml() => throw new NotImplementedException();

    public string ToText() => throw new NotImplementedException();
}
