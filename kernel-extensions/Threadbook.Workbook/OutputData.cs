using Microsoft.DotNet.Interactive.Documents;

namespace Threadbook.Workbook;

/// <summary>The mime-type bundle of a display or return-value output (the library keeps its common interface internal).</summary>
internal static class OutputData
{
    public static IDictionary<string, object>? Of(InteractiveDocumentOutputElement output) => output switch
    {
        DisplayElement d => d.Data,
        ReturnValueElement r => r.Data,
        _ => null,
    };
}
