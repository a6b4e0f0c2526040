using System.Net;
using Threadbook.Rendering;

namespace Threadbook.Introspection;

/// <summary>
/// The shape of every concurrency view: a caption and a two-column table of facts, rendered as HTML and as
/// plain text from the same rows. Values are taken when the view is made (a snapshot), clipped so that a
/// rendering stays well under 2 KB, and escaped in HTML; rendering never throws.
/// </summary>
public abstract class FactSheet : IRenderable
{
    /// <summary>What a view says where .NET offers no way to read a state, rather than guessing it.</summary>
    protected const string NotExposed = "not exposed by .NET";

    private const int MaxCellLength = 120;

    /// <summary>The caption: what the object is, in a few words.</summary>
    protected abstract string Title { get; }

    /// <summary>The rows of the table, in the order a learner reads them.</summary>
    protected abstract IEnumerable<(string Fact, string Value)> Facts();

    /// <summary><c>yes</c> or <c>no</c>.</summary>
    protected static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary><c>yes</c> or <c>no</c>, or <paramref name="unknown"/> when the value could not be read.</summary>
    protected static string YesNo(bool? value, string unknown = "unknown") => value is { } known ? YesNo(known) : unknown;

    /// <summary>The number, or <paramref name="unknown"/> when it could not be read.</summary>
    protected static string Number(long? value, string unknown = "unknown") =>
        value?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? unknown;

    private Table AsTable()
    {
        var table = new Table("fact", "value") { Caption = Shorten(Title) };
        foreach (var (fact, value) in Facts())
        {
            table.AddRow(Shorten(fact), Shorten(value));
        }

        return table;
    }

    /// <summary>One clean line of at most <see cref="MaxCellLength"/> characters (messages and names come from user code).</summary>
    private static string Shorten(string text) =>
        SafeText.Truncate(SafeText.Clean(text).ReplaceLineEndings(" "), MaxCellLength);

    /// <inheritdoc />
    public string ToHtml() => Render(table => table.ToHtml(), failure => $"<pre>{WebUtility.HtmlEncode(failure)}</pre>");

    /// <inheritdoc />
    public string ToText() => Render(table => table.ToText(), failure => failure);

    /// <inheritdoc />
    public override string ToString() => ToText();

    private string Render(Func<Table, string> render, Func<string, string> shownInstead)
    {
        try
        {
            return render(AsTable());
        }
        catch (Exception e)
        {
            return shownInstead(Shorten($"({GetType().Name} could not be shown: {e.GetType().Name}: {e.Message})"));
        }
    }
}
