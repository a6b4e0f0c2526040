using Threadbook.Tracing;

namespace Threadbook.Rendering;

/// <summary>Placeholder until the Chrome trace writer lands.</summary>
public static class ChromeTraceJson
{
    public static string Write(Trace trace) => throw new NotImplementedException();
}
