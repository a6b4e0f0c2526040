using System.Reflection;
using Threadbook.Processes.SharedMemory;

namespace Threadbook.Processes;

/// <summary>
/// Helpers for <see cref="SharedArray{T}"/>: Python's <c>multiprocessing.Array</c> type codes and the C# types they
/// become.
/// </summary>
public static class SharedArray
{
    private static readonly Dictionary<string, string> CSharpKeywords = new()
    {
        [typeof(byte).FullName!] = "byte", [typeof(sbyte).FullName!] = "sbyte", [typeof(short).FullName!] = "short",
        [typeof(ushort).FullName!] = "ushort", [typeof(int).FullName!] = "int", [typeof(uint).FullName!] = "uint",
        [typeof(long).FullName!] = "long", [typeof(ulong).FullName!] = "ulong", [typeof(float).FullName!] = "float",
        [typeof(double).FullName!] = "double", [typeof(char).FullName!] = "char", [typeof(bool).FullName!] = "bool",
    };

    /// <summary>
    /// The notes' table of type codes (<c>Array('i', ...)</c>), each with its ctypes type and the C# type used for it, in
    /// the notes' order. On 64-bit Linux C's <c>long</c> is 8 bytes and <c>wchar_t</c> is 4; C#'s <see cref="char"/> is a
    /// 2-byte UTF-16 unit.
    /// </summary>
    public static IReadOnlyList<SharedArrayTypeCode> TypeCodes { get; } =
    [
        new('c', "ctypes.c_char", typeof(byte), "a C char is one byte; C#'s char is two"),
        new('u', "ctypes.c_wchar", typeof(char), "wchar_t is 4 bytes on Linux; a C# char is a 2-byte UTF-16 unit"),
        new('b', "ctypes.c_byte", typeof(sbyte), "signed byte"),
        new('B', "ctypes.c_ubyte", typeof(byte), "unsigned byte"),
        new('h', "ctypes.c_short", typeof(short), "2 bytes"),
        new('H', "ctypes.c_ushort", typeof(ushort), "2 bytes"),
        new('i', "ctypes.c_int", typeof(int), "4 bytes"),
        new('I', "ctypes.c_uint", typeof(uint), "4 bytes"),
        new('l', "ctypes.c_long", typeof(long), "8 bytes on 64-bit Linux (4 on Windows)"),
        new('L', "ctypes.c_ulong", typeof(ulong), "8 bytes on 64-bit Linux (4 on Windows)"),
        new('f', "ctypes.c_float", typeof(float), "4-byte IEEE float"),
        new('d', "ctypes.c_double", typeof(double), "8-byte IEEE double"),
    ];

    /// <summary>Where shared arrays and process locks keep their memory: <c>/dev/shm</c> on Linux, else the temporary folder.</summary>
    public static string Folder => SharedMemoryFile.Folder;

    /// <summary>The C# element type for a Python type code: <c>TypeFor('i')</c> is <see cref="int"/>.</summary>
    /// <exception cref="ArgumentException">Not one of the codes in <see cref="TypeCodes"/>.</exception>
    public static Type TypeFor(char typeCode) =>
        TypeCodes.FirstOrDefault(code => code.Code == typeCode)?.CSharpType
        ?? throw new ArgumentException(
            $"'{typeCode}' is not a multiprocessing.Array type code; use one of {string.Join(" ", TypeCodes.Select(c => c.Code))}.",
            nameof(typeCode));

    /// <summary>The C# keyword for a type (<c>int</c>), or its name.</summary>
    internal static string CSharpName(Type type) => CSharpKeywords.GetValueOrDefault(type.FullName ?? "", type.Name);

    /// <summary>Opens the array <paramref name="name"/> whose element type is <paramref name="elementTypeName"/> (for handles read as <see cref="object"/>).</summary>
    internal static object OpenUntyped(string name, string elementTypeName)
    {
        var elementType = Type.GetType(elementTypeName)
            ?? throw new InvalidDataException($"The shared array '{name}' holds {elementTypeName}, which this process does not know.");
        var open = typeof(SharedArray<>).MakeGenericType(elementType).GetMethod(nameof(SharedArray<int>.Open), BindingFlags.Public | BindingFlags.Static)!;
        return open.Invoke(null, BindingFlags.DoNotWrapExceptions, null, [name], null)!;
    }
}
