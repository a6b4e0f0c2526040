using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;

namespace Threadbook.Workbook;

/// <summary>Reads and writes notebooks (.ipynb and .dib) with the C# and Markdown kernels the workbook uses.</summary>
public static class NotebookFiles
{
    /// <summary>The kernel a cell without kernel metadata runs on.</summary>
    public const string DefaultKernelName = "csharp";

    /// <summary>The kernels a workbook notebook may use.</summary>
    public static KernelInfoCollection KernelInfos() =>
    [
        new KernelInfo(DefaultKernelName, "C#", ["c#", "cs"]),
        new KernelInfo("markdown", "Markdown", ["md"]),
    ];

    /// <summary>Reads a notebook; fails with a clear message for a missing file or an unknown format.</summary>
    public static async Task<InteractiveDocument> ReadAsync(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists)
        {
            throw new FileNotFoundException($"No notebook at '{file.FullName}'.", file.FullName);
        }

        if (file.Extension is not (".ipynb" or ".dib"))
        {
            throw new ArgumentException($"'{file.Name}' is not a notebook: expected a .ipynb or .dib file.", nameof(path));
        }

        var document = await InteractiveDocument.LoadAsync(file, KernelInfos());
        foreach (var element in document.Elements)
        {
            element.KernelName ??= DefaultKernelName;
        }

        return document;
    }

    /// <summary>Writes <paramref name="document"/> in the format the extension of <paramref name="path"/> names.</summary>
    public static Task WriteAsync(InteractiveDocument document, string path)
    {
        var content = Path.GetExtension(path) switch
        {
            // A notebook read from .ipynb already has its Jupyter metadata; one converted from .dib needs it added.
            ".ipynb" => document.ToJupyterJson(document.Metadata.ContainsKey("kernelspec") ? null : "C#"),
            ".dib" => document.ToCodeSubmissionContent(),
            _ => throw new ArgumentException($"Cannot write '{path}': expected a .ipynb or .dib file.", nameof(path)),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return File.WriteAllTextAsync(path, content.EndsWith('\n') ? content : content + "\n");
    }

    /// <summary>Removes every output and execution count, as notebooks are kept in git.</summary>
    public static void StripOutputs(InteractiveDocument document)
    {
        foreach (var element in document.Elements)
        {
            element.Outputs.Clear();
            element.ExecutionOrder = 0;
        }
    }

    /// <summary>True for a markdown cell.</summary>
    public static bool IsMarkdown(InteractiveDocumentElement element) =>
        string.Equals(element.KernelName, "markdown", StringComparison.OrdinalIgnoreCase);
}
