namespace Threadbook.Rendering;

/// <summary>
/// Something Threadbook can show a person: as an HTML fragment (notebooks, static pages) and as plain
/// text (consoles, logs, tests). Both renderings carry the same facts; neither may throw.
/// </summary>
public interface IRenderable
{
    /// <summary>A self-contained HTML fragment: no script, no external resources.</summary>
    string ToHtml();

    /// <summary>The same content as aligned plain text.</summary>
    string ToText();
}
