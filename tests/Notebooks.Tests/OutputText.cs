using Microsoft.DotNet.Interactive.Documents;

namespace Notebooks.Tests;

/// <summary>The text a reader sees in a cell's outputs, for assertions.</summary>
public static class OutputText
{
    public static string Of(IEnumerable<InteractiveDocumentOutputElement> outputs) =>
        string.Join("\n", outputs.Select(o => o switch
        {
            TextElement t => t.Text,
            DisplayElement d => string.Join("\n", d.Data.Values),
            ReturnValueElement r => string.Join("\n", r.Data.Values),
            ErrorElement e => $"{e.ErrorName}: {e.ErrorValue}",
            _ => "",
        }));
}
