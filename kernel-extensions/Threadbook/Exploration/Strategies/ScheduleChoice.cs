using System.Numerics;

namespace Threadbook.Exploration.Strategies;

/// <summary>Bit-set helpers for the strategies: a set of threads is a <see cref="ulong"/>, bit i for thread index i.</summary>
internal static class ScheduleChoice
{
    /// <summary>The set holding only <paramref name="index"/>.</summary>
    public static ulong Bit(int index) => 1UL << index;

    /// <summary>The lowest index in a non-empty set.</summary>
    public static int Lowest(ulong set) => BitOperations.TrailingZeroCount(set);

    /// <summary>The <paramref name="n"/>-th lowest index (0-based) in a set of more than <paramref name="n"/> members.</summary>
    public static int Nth(ulong set, int n)
    {
        for (var i = 0; i < n; i++)
        {
            set &= set - 1;
        }

        return Lowest(set);
    }

    /// <summary>How many members.</summary>
    public static int Count(ulong set) => BitOperations.PopCount(set);
}
