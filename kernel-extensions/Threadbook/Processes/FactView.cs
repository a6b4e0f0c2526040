using Threadbook.Introspection;

namespace Threadbook.Processes;

/// <summary>A <see cref="FactSheet"/> made of two functions, read when it is rendered (so a failure shows in the view, never as an exception).</summary>
internal sealed class FactView(Func<string> title, Func<IEnumerable<(string Fact, string Value)>> facts) : FactSheet
{
    /// <inheritdoc />
    protected override string Title => title();

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() => facts();
}
