using System.Collections.Concurrent;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;

namespace Threadbook.Processes.SharedMemory;

/// <summary>
/// A memory-mapped file that several processes map: a 64-byte header, a 64-byte slot for a <see cref="ProcessLock"/>,
/// then the data. .NET supports no named memory maps on Unix, so the file lives in <c>/dev/shm</c> (memory, on
/// Linux) or the temporary folder, named <c>threadbook-&lt;creator pid&gt;-&lt;random&gt;</c>. The creator deletes it on
/// <see cref="Delete"/> and at exit; files of creators that were killed are swept when this process first creates one.
/// A process maps each file once (other handles to it share the mapping).
/// </summary>
internal sealed unsafe class SharedMemoryFile
{
    public const int LockOffset = 64;
    public const int DataOffset = 128;
    private const long Magic = 0x31304D4853425454; // "TTBSHM01"
    private const string Prefix = "threadbook-";

    private static readonly ConcurrentDictionary<string, WeakReference<SharedMemoryFile>> Mapped = new();
    private static readonly ConcurrentDictionary<string, byte> Created = new();
    private static int s_exitHooked;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private int _deleted;

    private SharedMemoryFile(string name, MemoryMappedFile map, MemoryMappedViewAccessor view, bool isCreator)
    {
        Name = name;
        _map = map;
        _view = view;
        IsCreator = isCreator;
        // The view stays mapped while this object is reachable (callers keep it alive across every pointer use).
        Base = (byte*)view.SafeMemoryMappedViewHandle.DangerousGetHandle() + view.PointerOffset;
    }

    /// <summary>Where the files live: <c>/dev/shm</c> when it exists, otherwise the temporary folder.</summary>
    public static string Folder { get; } = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    /// <summary>The file's name (the handle other processes open it by).</summary>
    public string Name { get; }

    /// <summary>The file's full path.</summary>
    public string FilePath => Path.Combine(Folder, Name);

    /// <summary>True in the process that created the file (and deletes it).</summary>
    public bool IsCreator { get; }

    /// <summary>The first byte of the mapping.</summary>
    public byte* Base { get; }

    /// <summary>What the file holds (see <see cref="SharedMemoryKind"/>).</summary>
    public SharedMemoryKind Kind => (SharedMemoryKind)(*(int*)(Base + 8));

    /// <summary>Bytes per element.</summary>
    public int ElementSize => *(int*)(Base + 12);

    /// <summary>Number of elements.</summary>
    public int Length => *(int*)(Base + 16);

    /// <summary>The creator's process id.</summary>
    public int CreatorPid => *(int*)(Base + 20);

    /// <summary>The element type's name as the creator wrote it (up to 32 bytes of UTF-8).</summary>
    public string ElementTypeName => Encoding.UTF8.GetString(new ReadOnlySpan<byte>(Base + 24, 32)).TrimEnd('\0');

    /// <summary>True once the creator deleted the file (in the creator's process).</summary>
    public bool IsDeleted => Volatile.Read(ref _deleted) != 0;

    /// <summary>The lock slot.</summary>
    public byte* LockSlot => Base + LockOffset;

    /// <summary>The data.</summary>
    public byte* Data => Base + DataOffset;

    /// <summary>Creates a new file of <paramref name="length"/> elements of <paramref name="elementSize"/> bytes, zeroed.</summary>
    public static SharedMemoryFile Create(SharedMemoryKind kind, string elementTypeName, int elementSize, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        HookExitOnce();
        var name = $"{Prefix}{Environment.ProcessId}-{RandomToken.New()[..16]}";
        var path = Path.Combine(Folder, name);
        var size = DataOffset + (long)elementSize * length;
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, Share = FileShare.ReadWrite | FileShare.Delete };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // only this user's processes may map it
        }

        var stream = new FileStream(path, options);
        Created[path] = 0;
        try
        {
            stream.SetLength(size);
            var file = Map(name, stream, size, isCreator: true);
            *(long*)file.Base = Magic;
            *(int*)(file.Base + 8) = (int)kind;
            *(int*)(file.Base + 12) = elementSize;
            *(int*)(file.Base + 16) = length;
            *(int*)(file.Base + 20) = Environment.ProcessId;
            var typeBytes = Encoding.UTF8.GetBytes(elementTypeName);
            typeBytes.AsSpan(0, Math.Min(typeBytes.Length, 32)).CopyTo(new Span<byte>(file.Base + 24, 32));
            Mapped[name] = new WeakReference<SharedMemoryFile>(file);
            return file;
        }
        catch
        {
            stream.Dispose();
            TryDelete(path);
            throw;
        }
    }

    /// <summary>Maps the file called <paramref name="name"/> (or returns this process's mapping of it); null <paramref name="expectedKind"/>: any kind.</summary>
    /// <exception cref="FileNotFoundException">No such file: its creator deleted it (disposed it, or exited).</exception>
    public static SharedMemoryFile Open(string name, SharedMemoryKind? expectedKind)
    {
        if (name.Contains('/') || name.Contains('\\') || !name.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not the name of a Threadbook shared-memory file.", nameof(name));
        }

        if (Mapped.TryGetValue(name, out var weak) && weak.TryGetTarget(out var known))
        {
            return expectedKind is null || known.Kind == expectedKind ? known : throw WrongKind(name, known.Kind, expectedKind.Value);
        }

        var path = Path.Combine(Folder, name);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException e)
        {
            throw new FileNotFoundException(
                $"The shared memory '{name}' no longer exists: the process that created it disposed it or exited.", path, e);
        }

        try
        {
            if (stream.Length < DataOffset)
            {
                throw new InvalidDataException($"'{path}' is too short to be a Threadbook shared-memory file.");
            }

            var file = Map(name, stream, stream.Length, isCreator: false);
            if (*(long*)file.Base != Magic)
            {
                throw new InvalidDataException($"'{path}' is not a Threadbook shared-memory file.");
            }

            if (expectedKind is not null && file.Kind != expectedKind)
            {
                throw WrongKind(name, file.Kind, expectedKind.Value);
            }

            return Mapped.AddOrUpdate(name, new WeakReference<SharedMemoryFile>(file),
                (_, existing) => existing.TryGetTarget(out var other) ? existing : new WeakReference<SharedMemoryFile>(file))
                .TryGetTarget(out var winner) ? winner : file;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Deletes the file (creator only; once). Processes that mapped it keep their mapping; no one can open it any more.</summary>
    public void Delete()
    {
        if (!IsCreator || Interlocked.Exchange(ref _deleted, 1) != 0)
        {
            return;
        }

        TryDelete(FilePath);
        Created.TryRemove(FilePath, out _);
        Mapped.TryRemove(Name, out _);
        GC.KeepAlive(this);
    }

    /// <summary>Keeps the mapping alive up to this point (call after the last use of a pointer into it).</summary>
    public void KeepAlive() => GC.KeepAlive(this);

    /// <summary>Deletes the files of creators that no longer run (left behind by a kill). Returns how many.</summary>
    public static int SweepOrphans()
    {
        var swept = 0;
        try
        {
            foreach (var path in Directory.EnumerateFiles(Folder, Prefix + "*"))
            {
                var parts = Path.GetFileName(path).Split('-');
                if (parts.Length == 3 && int.TryParse(parts[1], out var pid) && pid != Environment.ProcessId && !ProcessIsAlive(pid))
                {
                    swept += TryDelete(path) ? 1 : 0;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // sweeping is a courtesy
        }

        return swept;
    }

    /// <summary>True when process <paramref name="pid"/> exists (zombies count as existing).</summary>
    public static bool ProcessIsAlive(int pid)
    {
        if (OperatingSystem.IsLinux())
        {
            return Directory.Exists($"/proc/{pid}");
        }

        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception)
        {
            return false;
        }
    }

    private static SharedMemoryFile Map(string name, FileStream stream, long size, bool isCreator)
    {
        var map = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        try
        {
            return new SharedMemoryFile(name, map, map.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite), isCreator);
        }
        catch
        {
            map.Dispose();
            throw;
        }
    }

    private static InvalidDataException WrongKind(string name, SharedMemoryKind actual, SharedMemoryKind expected) =>
        new($"The shared memory '{name}' holds a {actual}, not a {expected}.");

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void HookExitOnce()
    {
        if (Interlocked.Exchange(ref s_exitHooked, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var path in Created.Keys)
            {
                TryDelete(path);
            }
        };
        // Files left by killed creators (their exit hook never ran) go when someone creates the next one.
        ThreadPool.UnsafeQueueUserWorkItem(_ => SweepOrphans(), null);
    }
}
