namespace Threadbook.Introspection;

/// <summary>One operating-system thread of a process, as the OS reports it.</summary>
/// <param name="OsThreadId">The kernel's thread id (Linux TID; equals the process id for the main thread).</param>
/// <param name="Name">The OS-level thread name. .NET copies a managed thread's name here (truncated to 15 characters on Linux).</param>
/// <param name="State">What the OS says the thread is doing, in words (running, sleeping, waiting on I/O, …).</param>
/// <param name="CpuTime">User plus kernel CPU time the thread has used, or null where the OS does not say.</param>
/// <param name="LastCpu">The core the thread last ran on, or null where the OS does not say.</param>
/// <param name="IsCallingThread">True for the thread that took the snapshot.</param>
public sealed record OsThreadInfo(
    int OsThreadId,
    string Name,
    string State,
    TimeSpan? CpuTime,
    int? LastCpu,
    bool IsCallingThread);
