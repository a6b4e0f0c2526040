using System.Text.Json;
using Microsoft.DotNet.Interactive.Documents;

namespace Threadbook.Workbook;

/// <summary>
/// The answers a notebook gives to its own input prompts when run headless, kept in its metadata:
/// <c>"threadbook": { "inputs": { "input:": "true" } }</c>. Jupyter and VS Code ignore the key.
/// </summary>
public static class NotebookInputs
{
    /// <summary>The notebook's default answers by prompt (empty when it has none).</summary>
    public static Dictionary<string, string> DefaultsOf(InteractiveDocument document)
    {
        var answers = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!document.Metadata.TryGetValue("threadbook", out var threadbook))
        {
            return answers;
        }

        var json = threadbook is JsonElement element ? element : JsonSerializer.SerializeToElement(threadbook);
        if (json.ValueKind == JsonValueKind.Object && json.TryGetProperty("inputs", out var inputs) && inputs.ValueKind == JsonValueKind.Object)
        {
            foreach (var input in inputs.EnumerateObject())
            {
                answers[input.Name.Trim()] = input.Value.ValueKind == JsonValueKind.String ? input.Value.GetString()! : input.Value.GetRawText();
            }
        }

        return answers;
    }

    /// <summary>Parses a command-line answer <c>PROMPT=VALUE</c> (the prompt is everything before the last '=').</summary>
    public static KeyValuePair<string, string> ParseAnswer(string text)
    {
        var split = text.LastIndexOf('=');
        if (split <= 0)
        {
            throw new ArgumentException($"--answer needs PROMPT=VALUE, for example --answer \"input:=true\"; got '{text}'.");
        }

        return new(text[..split].Trim(), text[(split + 1)..]);
    }
}
