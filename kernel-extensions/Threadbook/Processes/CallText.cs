using Threadbook.Introspection;
using Threadbook.Processes.SharedMemory;

namespace Threadbook.Processes;

/// <summary>A call as a person writes it, <c>Foo(3, "x")</c>, short enough for a table cell or a trace label.</summary>
internal static class CallText
{
    private const int MaxLength = 60;

    public static string Of(string methodName, IReadOnlyList<object?> arguments)
    {
        var text = $"{methodName}({string.Join(", ", arguments.Select(ArgumentText))})";
        return text.Length <= MaxLength ? text : text[..(MaxLength - 2)] + "…)";
    }

    private static string ArgumentText(object? argument) => argument switch
    {
        IShareableHandle handle => handle.HandleText,
        Array array => $"[{array.Length} items]",
        _ => Probe.Text(argument),
    };
}
