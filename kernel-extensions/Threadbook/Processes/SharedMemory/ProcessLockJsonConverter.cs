using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadbook.Processes.SharedMemory;

/// <summary>Sends a <see cref="ProcessLock"/> as a handle to its shared memory; the receiver maps the same lock.</summary>
internal sealed class ProcessLockJsonConverter : JsonConverter<ProcessLock>
{
    public override ProcessLock Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ProcessLock.Open(SharedHandles.Text(SharedHandles.Read(ref reader, SharedHandles.ProcessLockKind), "name"));

    public override void Write(Utf8JsonWriter writer, ProcessLock value, JsonSerializerOptions options)
    {
        SharedHandles.WriteStart(writer, SharedHandles.ProcessLockKind);
        writer.WriteString("name", value.Name);
        writer.WriteEndObject();
    }
}
