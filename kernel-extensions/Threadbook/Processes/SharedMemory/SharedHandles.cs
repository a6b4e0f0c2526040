using System.Text.Json;

namespace Threadbook.Processes.SharedMemory;

/// <summary>
/// Writes and re-opens the JSON handles of shared objects: <c>{"$threadbook": "SharedArray", ...}</c>. A handle carries
/// only where to find the object (a shared-memory file's name, a socket address); the receiving process opens it there.
/// </summary>
internal static class SharedHandles
{
    /// <summary>The property that marks a shared handle in JSON.</summary>
    public const string HandleMarker = "$threadbook";

    public const string SharedArrayKind = "SharedArray";
    public const string ProcessLockKind = "ProcessLock";
    public const string NonReentrantProcessLockKind = "NonReentrantProcessLock";
    public const string SharedDictionaryKind = "SharedDictionary";

    /// <summary>Starts a handle object of <paramref name="kind"/>; the caller writes its properties and ends the object.</summary>
    public static void WriteStart(Utf8JsonWriter writer, string kind)
    {
        writer.WriteStartObject();
        writer.WriteString(HandleMarker, kind);
    }

    /// <summary>Reads a handle object of <paramref name="kind"/> (the reader is on its start).</summary>
    /// <exception cref="JsonException">It is not such a handle.</exception>
    public static JsonElement Read(ref Utf8JsonReader reader, string kind)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var element = document.RootElement.Clone();
        if (element.ValueKind != JsonValueKind.Object ||
            !element.TryGetProperty(HandleMarker, out var marker) || marker.GetString() != kind)
        {
            throw new JsonException($"Expected a {kind} handle ({{\"{HandleMarker}\": \"{kind}\", ...}}), got {Shorten(element.GetRawText())}.");
        }

        return element;
    }

    /// <summary>A string property of a handle.</summary>
    public static string Text(JsonElement handle, string property) =>
        handle.TryGetProperty(property, out var value) && value.GetString() is { } text
            ? text
            : throw new JsonException($"The handle has no '{property}': {Shorten(handle.GetRawText())}.");

    /// <summary>Re-opens whatever handle <paramref name="handle"/> is, for a value declared as <see cref="object"/>.</summary>
    public static object Open(JsonElement handle)
    {
        var kind = handle.GetProperty(HandleMarker).GetString();
        return kind switch
        {
            SharedArrayKind => SharedArray.OpenUntyped(Text(handle, "name"), Text(handle, "type")),
            ProcessLockKind => ProcessLock.Open(Text(handle, "name")),
            NonReentrantProcessLockKind => NonReentrantProcessLock.Open(Text(handle, "name")),
            SharedDictionaryKind => SharedDictionary.Open(handle),
            _ => throw new JsonException($"Unknown Threadbook handle kind '{kind}'."),
        };
    }

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";
}
