using System.Runtime.InteropServices;
using Threadbook.Processes;
using Threadbook.Processes.SharedMemory;
using Threadbook.Processes.Wire;

namespace Threadbook.Worker;

/// <summary>
/// Ends the worker when its parent process is gone. The parent's death also closes the worker's connection (which
/// ends it sooner); this poll covers a parent that hangs on to the socket some other way. On Unix the worker checks
/// that it still has the same parent (a dead parent's children are adopted by another process).
/// </summary>
internal static partial class ParentWatch
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static void Start(int parentPid)
    {
        var adoptedCheck = !OperatingSystem.IsWindows() && GetParentPid() == parentPid;
        new Thread(() =>
        {
            while (true)
            {
                Thread.Sleep(Interval);
                var gone = adoptedCheck ? GetParentPid() != parentPid : !SharedMemoryFile.ProcessIsAlive(parentPid);
                if (gone)
                {
                    Environment.Exit(WorkerMessages.ExitParentGone);
                }
            }
        })
        { IsBackground = true, Name = "threadbook parent watch" }.Start();
    }

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int GetParentPid();
}
