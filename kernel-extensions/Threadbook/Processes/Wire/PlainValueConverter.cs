using System.Text.Json;
using System.Text.Json.Serialization;
using Threadbook.Processes.SharedMemory;

namespace Threadbook.Processes.Wire;

/// <summary>
/// Reads a value declared as <see cref="object"/> as a plain .NET value instead of a <see cref="JsonElement"/>:
/// whole numbers as <see cref="int"/> (or <see cref="long"/> when too large), other numbers as <see cref="double"/>,
/// arrays as <c>List&lt;object?&gt;</c>, objects as <c>Dictionary&lt;string, object?&gt;</c>, and shared handles re-opened.
/// Writes any value as its runtime type.
/// </summary>
internal sealed class PlainValueConverter : JsonConverter<object>
{
    public override bool HandleNull => false;

    public override object? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return PlainValue(document.RootElement);
    }

    public override void Write(Utf8JsonWriter writer, object value, JsonSerializerOptions options)
    {
        if (value.GetType() == typeof(object))
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
            return;
        }

        JsonSerializer.Serialize(writer, value, value.GetType(), options);
    }

    /// <summary>The plain value <paramref name="element"/> holds.</summary>
    public static object? PlainValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetInt32(out var small) => small,
        JsonValueKind.Number when element.TryGetInt64(out var large) => large,
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.Array => element.EnumerateArray().Select(PlainValue).ToList(),
        JsonValueKind.Object when element.TryGetProperty(SharedHandles.HandleMarker, out _) => SharedHandles.Open(element),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => PlainValue(p.Value)),
        _ => element.GetRawText(),
    };
}
