using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Serialization;
using Threadbook.Introspection;
using Threadbook.Processes.SharedMemory;
using Threadbook.Rendering;
using Threadbook.Threading;

namespace Threadbook.Processes;

/// <summary>
/// A fixed-length array in memory that several processes share, with a <see cref="ProcessLock"/>: Python's
/// <c>multiprocessing.Array('i', [11, 22, 33, 44])</c> is <c>SharedArray&lt;int&gt;.Create(11, 22, 33, 44)</c>. Pass it to
/// a child function as an argument (<c>public static void Foo(SharedArray&lt;int&gt; temp, int i)</c>); the child maps the
/// same memory, so what one process writes the others read.
/// </summary>
/// <remarks>
/// <para>The memory is a file in <c>/dev/shm</c> (Linux; the temporary folder elsewhere) mapped by every process that
/// uses the array. The process that created the array deletes the file when the array is disposed, and at exit; a
/// disposed array cannot be passed to new children (children that have it keep their mapping).</para>
/// <para>Reading or writing one element is a plain memory access: an element written by one process is seen by the
/// others, but <c>temp[0] += 1</c> from two processes at once loses updates, exactly as in Python. Do read-modify-write
/// under the lock: <c>using (temp.Hold()) temp[0] += 1;</c>.</para>
/// </remarks>
/// <typeparam name="T">An unmanaged element type (see <see cref="SharedArray.TypeFor"/> for Python's type codes).</typeparam>
[JsonConverter(typeof(SharedArrayJsonConverterFactory))]
public sealed unsafe class SharedArray<T> : IRenderable, IDisposable, IReadOnlyList<T>, IShareableHandle where T : unmanaged
{
    private const int ValuesShown = 16;
    private readonly SharedMemoryFile _file;
    private readonly T* _data;

    private SharedArray(SharedMemoryFile file)
    {
        _file = file;
        _data = (T*)file.Data;
        Length = file.Length;
        Lock = new ProcessLock(file, ownsFile: false);
    }

    /// <summary>How many elements it has (fixed at creation).</summary>
    public int Length { get; }

    /// <summary>Same as <see cref="Length"/>.</summary>
    public int Count => Length;

    /// <summary>The name of its shared memory (a file in <see cref="SharedArray.Folder"/>): what a child opens it by.</summary>
    public string Name => _file.Name;

    /// <summary>The shared memory's full path.</summary>
    public string FilePath => _file.FilePath;

    /// <summary>True in the process that created the array (which deletes its memory on dispose and at exit).</summary>
    public bool IsCreator => _file.IsCreator;

    /// <summary>The array's lock, shared by every process that uses the array (Python's <c>Array(..., lock=True)</c>).</summary>
    public ProcessLock Lock { get; }

    string IShareableHandle.HandleText => $"{SharedArray.CSharpName(typeof(T))}[{Length}]";

    /// <summary>Element <paramref name="index"/>, read from or written to the shared memory.</summary>
    public T this[int index]
    {
        get
        {
            CheckIndex(index);
            var value = _data[index];
            _file.KeepAlive();
            return value;
        }

        set
        {
            CheckIndex(index);
            _data[index] = value;
            _file.KeepAlive();
        }
    }

    /// <summary>Creates an array holding <paramref name="values"/>.</summary>
    public static SharedArray<T> Create(params T[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var array = Create(values.Length);
        values.AsSpan().CopyTo(new Span<T>(array._data, values.Length));
        array._file.KeepAlive();
        return array;
    }

    /// <summary>Creates an array of <paramref name="length"/> zeroes (Python's <c>Array('i', 10)</c>).</summary>
    public static SharedArray<T> Create(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new SharedArray<T>(SharedMemoryFile.Create(SharedMemoryKind.Array, typeof(T).FullName!, Unsafe.SizeOf<T>(), length));
    }

    /// <summary>Opens the array called <paramref name="name"/> (created by this or another process).</summary>
    /// <exception cref="FileNotFoundException">Its creator disposed it or exited.</exception>
    /// <exception cref="InvalidDataException">It holds another element type.</exception>
    public static SharedArray<T> Open(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var file = SharedMemoryFile.Open(name, SharedMemoryKind.Array);
        if (file.ElementSize != Unsafe.SizeOf<T>() || !typeof(T).FullName!.StartsWith(file.ElementTypeName, StringComparison.Ordinal))
        {
            throw new InvalidDataException(
                $"The shared array '{name}' holds {file.ElementTypeName} ({file.ElementSize} bytes each), not {typeof(T).FullName}.");
        }

        return new SharedArray<T>(file);
    }

    /// <summary>Acquires <see cref="Lock"/> and returns a scope that releases it: <c>using (array.Hold()) { ... }</c>.</summary>
    public HoldScope Hold() => Lock.Hold();

    /// <summary>A copy of the elements now.</summary>
    public T[] ToArray()
    {
        var copy = new ReadOnlySpan<T>(_data, Length).ToArray();
        _file.KeepAlive();
        return copy;
    }

    /// <summary>Enumerates the elements, each read when it is reached (Python's <c>for item in temp:</c>).</summary>
    public IEnumerator<T> GetEnumerator()
    {
        for (var i = 0; i < Length; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>In the creating process: deletes the shared memory, so no new process can open it. Elsewhere: nothing.</summary>
    public void Dispose() => _file.Delete();

    /// <inheritdoc />
    public string ToHtml() => View().ToHtml();

    /// <inheritdoc />
    public string ToText() => View().ToText();

    /// <inheritdoc />
    public override string ToString() => $"SharedArray<{SharedArray.CSharpName(typeof(T))}>[{Length}] {{ {ValuesText()} }}";

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Length)
        {
            throw new IndexOutOfRangeException($"Index {index} is outside the shared array of {Length} elements.");
        }
    }

    private string ValuesText()
    {
        var shown = Math.Min(Length, ValuesShown);
        var values = string.Join(", ", Enumerable.Range(0, shown).Select(i => Probe.Text(this[i])));
        return Length > shown ? values + $", … ({Length - shown} more)" : values;
    }

    private FactView View() => new(
        () => $"SharedArray<{SharedArray.CSharpName(typeof(T))}> '{Name}' ({Length.ToString(CultureInfo.InvariantCulture)} elements)",
        () =>
        [
            ("values", ValuesText()),
            ("element", $"{SharedArray.CSharpName(typeof(T))}, {Unsafe.SizeOf<T>()} bytes"),
            ("lock", Lock.OwnerProcessId is { } pid ? $"held by thread {Lock.OwnerThreadId} of process {pid}" : "free"),
            ("shared memory", FilePath + (_file.IsDeleted ? " (deleted: no new process can open it)" : "")),
            ("created by", $"process {_file.CreatorPid}{(IsCreator ? " (this process)" : "")}"),
        ]);
}
