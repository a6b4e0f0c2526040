using Threadbook.Introspection;

namespace Threadbook.Tests.Fibers;

/// <summary>The OS thread ids of this process right now (from /proc/self/task on Linux).</summary>
internal static class OsThreads
{
    public static HashSet<int> Ids() => ProcessThreadsSnapshot.Capture().Threads.Select(t => t.OsThreadId).ToHashSet();
}
