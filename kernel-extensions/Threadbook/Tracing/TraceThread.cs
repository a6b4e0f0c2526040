namespace Threadbook.Tracing;

/// <summary>A thread that appears in a trace: one lane of the timeline.</summary>
/// <param name="ThreadId">Managed thread id, or 0 when only the OS id is known.</param>
/// <param name="OsThreadId">OS thread id, or 0 when unknown.</param>
/// <param name="Name">The thread's name when it was first seen ("thread 12" when it had none).</param>
/// <param name="IsBackground">Whether it was a background (daemon) thread; null when unknown.</param>
/// <param name="IsPoolThread">Whether it was a thread-pool thread.</param>
public sealed record TraceThread(int ThreadId, int OsThreadId, string Name, bool? IsBackground, bool IsPoolThread);
