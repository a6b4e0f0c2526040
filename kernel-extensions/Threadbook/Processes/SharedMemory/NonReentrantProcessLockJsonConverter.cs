using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadbook.Processes.SharedMemory;

/// <summary>Sends a <see cref="NonReentrantProcessLock"/> as a handle to its shared memory; the receiver maps the same lock.</summary>
internal sealed class NonReentrantProcessLockJsonConverter : JsonConverter<NonReentrantProcessLock>
{
    public override NonReentrantProcessLock Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        NonReentrantProcessLock.Open(SharedHandles.Text(SharedHandles.Read(ref reader, SharedHandles.NonReentrantProcessLockKind), "name"));

    public override void Write(Utf8JsonWriter writer, NonReentrantProcessLock value, JsonSerializerOptions options)
    {
        SharedHandles.WriteStart(writer, SharedHandles.NonReentrantProcessLockKind);
        writer.WriteString("name", value.Name);
        writer.WriteEndObject();
    }
}
