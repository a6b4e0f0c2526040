using System.Text.Json;
using System.Text.Json.Serialization;
using Threadbook.Processes.SharedMemory;

namespace Threadbook.Processes.Dictionary;

/// <summary>Sends a <see cref="SharedDictionary"/> as its owner's address and token; the receiver opens a proxy.</summary>
internal sealed class SharedDictionaryJsonConverter : JsonConverter<SharedDictionary>
{
    public override SharedDictionary Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SharedDictionary.Open(SharedHandles.Read(ref reader, SharedHandles.SharedDictionaryKind));

    public override void Write(Utf8JsonWriter writer, SharedDictionary value, JsonSerializerOptions options)
    {
        SharedHandles.WriteStart(writer, SharedHandles.SharedDictionaryKind);
        writer.WriteString("address", value.Address);
        writer.WriteString("token", value.Token);
        writer.WriteNumber("owner", value.OwnerProcessId);
        writer.WriteEndObject();
    }
}
