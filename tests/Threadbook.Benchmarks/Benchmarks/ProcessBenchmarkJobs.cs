using Threadbook.Processes;

namespace Threadbook.Benchmarks;

/// <summary>
/// What the process benchmarks' workers run. Worker processes load this assembly from its file, so the functions
/// are public static methods of a public class, like the ones a notebook's <c>#!worker</c> cell defines.
/// </summary>
public static class ProcessBenchmarkJobs
{
    /// <summary>Returns its argument: a task with no work, so a pool's own cost per task is what is measured.</summary>
    public static int Identity(int value) => value;

    /// <summary>Adds one to <paramref name="counter"/>[0] <paramref name="times"/> times, each under the array's process lock.</summary>
    public static void AddLocked(SharedArray<int> counter, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using (counter.Hold())
            {
                counter[0]++;
            }
        }
    }

    /// <summary>Sets <paramref name="count"/> entries of <paramref name="dictionary"/> (100 keys from <paramref name="firstKey"/>, cycling).</summary>
    public static void SetMany(SharedDictionary dictionary, int firstKey, int count)
    {
        for (var i = 0; i < count; i++)
        {
            dictionary[firstKey + (i % 100)] = i;
        }
    }
}
