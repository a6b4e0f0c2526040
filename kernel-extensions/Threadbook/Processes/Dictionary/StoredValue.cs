using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Dictionary;

/// <summary>
/// A <see cref="SharedDictionary"/> value as it is kept and sent: its JSON and the assembly-qualified name of its type.
/// Every read makes a fresh copy, as a <c>Manager().dict()</c> proxy does; it comes back as its own type when the
/// reading process can find that type, otherwise as a plain value.
/// </summary>
internal sealed record StoredValue(string? TypeName, byte[] Json)
{
    private static readonly ConcurrentDictionary<Type, string> NameOfType = new();
    private static readonly ConcurrentDictionary<string, Type?> TypeOfName = new();

    /// <exception cref="ArgumentException">The value cannot travel to another process; the message names its type.</exception>
    public static StoredValue Of(object? value)
    {
        if (value is null)
        {
            return new StoredValue(null, "null"u8.ToArray());
        }

        byte[] json;
        try
        {
            json = ProcessJson.SerializeValue(value);
        }
        catch (Exception e) when (e is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            throw new ArgumentException(
                $"A value of type {value.GetType()} cannot be stored in a shared dictionary, because it cannot travel to another process: " +
                $"{e.Message} Store numbers, strings, bools, arrays, lists, dictionaries, records or classes with public properties, or shared handles.",
                nameof(value),
                e);
        }

        return new StoredValue(NameOfType.GetOrAdd(value.GetType(), t => t.AssemblyQualifiedName ?? t.FullName ?? t.Name), json);
    }

    /// <summary>A copy of the value: as its own type when known here, otherwise a plain value.</summary>
    public object? ToValue() =>
        TypeName is null ? null : ProcessJson.DeserializeValue(Json, Resolve(TypeName) ?? typeof(object));

    /// <summary>The value read as <typeparamref name="T"/>.</summary>
    public T? ToValue<T>() => (T?)ProcessJson.DeserializeValue(Json, typeof(T));

    public void WriteTo(FrameWriter writer) => writer.String(TypeName).Bytes(Json);

    public static StoredValue ReadFrom(ref FrameReader reader) => new(reader.String(), reader.Bytes().ToArray());

    private static Type? Resolve(string typeName) => TypeOfName.GetOrAdd(typeName, static name =>
    {
        try
        {
            return Type.GetType(name, LoadedAssembly, null, throwOnError: false);
        }
        catch (Exception)
        {
            return null;
        }
    });

    // Types of assemblies loaded from a path (a #!worker cell's) are not found by name alone: look among the loaded ones.
    private static Assembly? LoadedAssembly(AssemblyName name) =>
        AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == name.Name)
        ?? TryLoad(name);

    private static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception)
        {
            return null;
        }
    }
}
