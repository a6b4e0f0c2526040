using Threadbook.Exploration;
using Threadbook.Threading;

namespace Threadbook.Tests.Exploration;

/// <summary>The small programs the explorer tests run: the notes' gl_num race and its relatives.</summary>
internal static class Programs
{
    /// <summary>The notes' race: two threads each do <c>gl_num += 1</c> (a read, then a write) with no lock.</summary>
    public static void UnlockedCounter(ExploredProgram program)
    {
        var glNum = program.Shared("gl_num", 0);
        program.Thread("t1", () => glNum.Value += 1);
        program.Thread("t2", () => glNum.Value += 1);
        program.Check(() => glNum.Value == 2, "gl_num == 2");
    }

    /// <summary>The same with the notes' RLock around the increment, for <paramref name="threads"/> threads.</summary>
    public static Action<ExploredProgram> LockedCounter(int threads) => program =>
    {
        var glNum = program.Shared("gl_num", 0);
        var rlock = new TracedRLock("lock");
        for (var i = 0; i < threads; i++)
        {
            program.Thread(() =>
            {
                using (rlock.Hold())
                {
                    glNum.Value += 1;
                }
            });
        }

        program.Check(() => glNum.Value == threads, $"gl_num == {threads}");
    };

    /// <summary>Two threads take two locks in opposite orders.</summary>
    public static void OppositeOrderLocks(ExploredProgram program)
    {
        var lockA = new TracedRLock("lock-A");
        var lockB = new TracedRLock("lock-B");
        program.Thread("t1", () => TakeBoth(lockA, lockB));
        program.Thread("t2", () => TakeBoth(lockB, lockA));
    }

    private static void TakeBoth(TracedRLock first, TracedRLock second)
    {
        using (first.Hold())
        using (second.Hold())
        {
        }
    }
}
