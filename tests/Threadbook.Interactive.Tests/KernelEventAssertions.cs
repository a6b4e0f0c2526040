using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Interactive.Tests;

/// <summary>Reads what a user would see from a list of kernel events.</summary>
public static class KernelEventAssertions
{
    /// <summary>The value of <paramref name="mimeType"/> in every display or return value, in order.</summary>
    public static IReadOnlyList<string> Shown(this IEnumerable<KernelEvent> events, string mimeType) =>
        events.OfType<DisplayEvent>()
            .Where(e => e is DisplayedValueProduced or ReturnValueProduced)
            .SelectMany(e => e.FormattedValues.Where(v => v.MimeType == mimeType).Select(v => v.Value))
            .ToArray();

    /// <summary>The messages of every failed command.</summary>
    public static IReadOnlyList<string> Failures(this IEnumerable<KernelEvent> events) =>
        events.OfType<CommandFailed>().Select(f => f.Message).ToArray();

    /// <summary>Asserts that nothing failed and returns the events for chaining.</summary>
    public static IReadOnlyList<KernelEvent> ShouldSucceed(this IReadOnlyList<KernelEvent> events)
    {
        events.Failures().Should().BeEmpty();
        return events;
    }
}
