using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadbook.Processes.SharedMemory;

/// <summary>Sends a <see cref="SharedArray{T}"/> as a handle to its shared memory; the receiver maps the same memory.</summary>
internal sealed class SharedArrayJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType && typeToConvert.GetGenericTypeDefinition() == typeof(SharedArray<>);

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class Converter<T> : JsonConverter<SharedArray<T>> where T : unmanaged
    {
        public override SharedArray<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var handle = SharedHandles.Read(ref reader, SharedHandles.SharedArrayKind);
            var type = SharedHandles.Text(handle, "type");
            if (type != typeof(T).FullName)
            {
                throw new JsonException($"A SharedArray of {type} cannot be read as SharedArray<{SharedArray.CSharpName(typeof(T))}>.");
            }

            return SharedArray<T>.Open(SharedHandles.Text(handle, "name"));
        }

        public override void Write(Utf8JsonWriter writer, SharedArray<T> value, JsonSerializerOptions options)
        {
            SharedHandles.WriteStart(writer, SharedHandles.SharedArrayKind);
            writer.WriteString("name", value.Name);
            writer.WriteString("type", typeof(T).FullName);
            writer.WriteNumber("length", value.Length);
            writer.WriteEndObject();
        }
    }
}
