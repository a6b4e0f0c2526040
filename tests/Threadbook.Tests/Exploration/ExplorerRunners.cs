using Threadbook.Exploration;
using Threadbook.Exploration.Execution;
using Threadbook.Scheduling;

namespace Threadbook.Tests.Exploration;

/// <summary>What the tests look at inside the explorer: its runner threads and its hook.</summary>
internal static class ExplorerRunners
{
    public static int LiveCount => VirtualThreadRunner.LiveCount;

    public static bool HookIsActive => SchedulingHook.IsActive;
}
