namespace Threadbook.Processes.SharedMemory;

/// <summary>What a <see cref="SharedMemoryFile"/> holds.</summary>
internal enum SharedMemoryKind
{
    /// <summary>A <see cref="SharedArray{T}"/> (with its lock).</summary>
    Array = 1,

    /// <summary>A <see cref="ProcessLock"/> of its own.</summary>
    Lock = 2,
}
