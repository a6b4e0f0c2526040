using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Threadbook.Processes.Wire;

/// <summary>
/// How values cross a process boundary: System.Text.Json, each value written as its runtime type and read back as the
/// type the receiver declares (see <see cref="WorkerFunction"/> for what can travel). Shared handles carry their own
/// converters (a <c>{"$threadbook": ...}</c> object); values declared as <see cref="object"/> come back as plain values.
/// </summary>
internal static class ProcessJson
{
    public static JsonSerializerOptions Options { get; } = CreateOptions();

    /// <summary>The arguments as one JSON array, each element written as its runtime type.</summary>
    /// <exception cref="ArgumentException">An argument cannot be serialized; the message says which and why.</exception>
    public static byte[] SerializeArguments(IReadOnlyList<object?> arguments)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            for (var i = 0; i < arguments.Count; i++)
            {
                try
                {
                    WriteValue(writer, arguments[i]);
                }
                catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
                {
                    throw new ArgumentException(
                        $"Argument {i + 1} ({arguments[i]?.GetType().Name ?? "null"}) cannot be sent to another process: {e.Message} " +
                        "Pass numbers, strings, arrays, lists, dictionaries, records or classes with public properties, or shared handles.",
                        nameof(arguments),
                        e);
                }
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads the arguments of <see cref="SerializeArguments"/>, each as the type of its parameter.</summary>
    public static object?[] DeserializeArguments(ReadOnlySpan<byte> json, ParameterInfo[] parameters)
    {
        var reader = new Utf8JsonReader(json);
        reader.Read(); // [
        var values = new object?[parameters.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            if (!reader.Read() || reader.TokenType == JsonTokenType.EndArray)
            {
                throw new ArgumentException($"{parameters.Length} argument(s) expected, {i} received.");
            }

            try
            {
                values[i] = JsonSerializer.Deserialize(ref reader, parameters[i].ParameterType, Options);
            }
            catch (JsonException e)
            {
                throw new ArgumentException(
                    $"Argument {i + 1} cannot be read as {parameters[i].ParameterType} (parameter '{parameters[i].Name}'): {e.Message}", e);
            }
        }

        return values;
    }

    /// <summary>A value as JSON, written as its runtime type.</summary>
    public static byte[] SerializeValue(object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(32);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteValue(writer, value);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads JSON as <paramref name="type"/> (<see cref="object"/>: a plain value; <see cref="void"/>: null).</summary>
    public static object? DeserializeValue(ReadOnlySpan<byte> json, Type type) =>
        type == typeof(void) ? null : JsonSerializer.Deserialize(json, type, Options);

    /// <summary>Runs every serialization path once, so a pre-started worker answers its first task without compiling them.</summary>
    public static void WarmUp()
    {
        var arguments = SerializeArguments([1, "text", 2.5, new[] { 1, 2 }, new Dictionary<string, int> { ["a"] = 1 }]);
        var method = typeof(ProcessJson).GetMethod(nameof(WarmUpTarget), BindingFlags.NonPublic | BindingFlags.Static)!;
        var values = DeserializeArguments(arguments, method.GetParameters());
        var result = method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, values, null);
        DeserializeValue(SerializeValue(result), typeof(object));
        DeserializeValue(SerializeValue(result), typeof(int));
    }

    private static int WarmUpTarget(int number, string text, double real, int[] numbers, Dictionary<string, int> map) =>
        number + text.Length + (int)real + numbers.Length + map.Count;

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            JsonSerializer.Serialize(writer, value, value.GetType(), Options);
        }
    }

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.General)
        {
            IncludeFields = true,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            MaxDepth = 64,
        };
        options.Converters.Add(new PlainValueConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
