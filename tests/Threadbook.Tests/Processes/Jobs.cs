using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>
/// Functions the tests run in worker processes. Workers load them from the test assembly on disk, so they are public
/// static methods of a public class, as <see cref="WorkerFunction"/> requires.
/// </summary>
public static class Jobs
{
    /// <summary>A global: each process has its own.</summary>
    public static int Counter;

    public static int BumpCounter() => ++Counter;

    public static int Plus(int i) => i + 100;

    public static int CurrentPid() => Environment.ProcessId;

    public static Point Mirror(Point point) => new(point.Y, point.X);

    public static async Task<int> PlusLater(int i)
    {
        await Task.Delay(10);
        return i + 100;
    }

    public static int SleepThenPid(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return Environment.ProcessId;
    }

    public static int SleepThenReturn(int milliseconds)
    {
        Thread.Sleep(milliseconds);
        return milliseconds;
    }

    /// <summary>A task as long as the test wants: it ends when <paramref name="path"/> exists (at most a minute).</summary>
    public static int WaitForFile(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!File.Exists(path))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{path} never appeared");
            }

            Thread.Sleep(5);
        }

        return Environment.ProcessId;
    }

    public static void Say(string text)
    {
        Console.WriteLine(text);
        Console.Error.WriteLine($"error stream: {text}");
    }

    public static int Throw(string message) => throw new InvalidOperationException(message);

    public static int ThrowWorkerCodeException(string message) => throw new WorkerCodeException(message, null);

    public static int ThrowMessageOnlyException(string message) => throw new MessageOnlyException(message);

    public static int ThrowUnbuildable(int code) => throw new UnbuildableException(code);

    /// <summary>A pool initializer: remembers its argument in this worker's static state.</summary>
    public static void RememberGreeting(string greeting) => Greeting = greeting;

    public static string? Greeting;

    public static string? ReadGreeting() => Greeting;

    public static void FailingInitializer() => throw new InvalidOperationException("initializer refuses");

    public static int Multiply(int x, int y) => x * y;

    public static int FailOnThree(int i) => i == 3 ? throw new InvalidOperationException("three is not allowed") : i;

    public static int Add3(int x, int y, int z) => x + y + z;

    public static void ExitWith(int code) => Environment.Exit(code);

    public static void IncrementLocked(SharedArray<int> counter, int times)
    {
        for (var i = 0; i < times; i++)
        {
            using (counter.Hold())
            {
                counter[0] += 1;
            }
        }
    }

    public static void WriteSquares(SharedArray<long> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (long)i * i;
        }
    }

    /// <summary>Writes "tag begin", sleeps, writes "tag end", under the lock: another holder's lines can never come between.</summary>
    public static void AppendUnderLock(ProcessLock gate, string path, string tag, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            using (gate.Hold())
            {
                File.AppendAllText(path, $"{tag} begin\n");
                Thread.Sleep(10);
                File.AppendAllText(path, $"{tag} end\n");
            }
        }
    }

    public static bool TryAcquire(ProcessLock gate)
    {
        if (!gate.Acquire(TimeSpan.Zero))
        {
            return false;
        }

        gate.Release();
        return true;
    }

    /// <summary>Takes the lock and exits without releasing it: a holder that dies.</summary>
    public static void AcquireAndExit(ProcessLock gate)
    {
        gate.Acquire();
        Environment.Exit(0);
    }

    public static void ReleasePlainLock(NonReentrantProcessLock gate) => gate.Release();

    public static bool TryTakePlainLock(NonReentrantProcessLock gate) => gate.Acquire(TimeSpan.Zero);

    public static void RecordPid(SharedDictionary dictionary, string key) => dictionary[key] = Environment.ProcessId;

    public static string? ReadText(SharedDictionary dictionary, string key) => dictionary.Get<string>(key);

    public static void StoreSamples(SharedDictionary dictionary)
    {
        dictionary["list"] = new List<int> { 1, 2, 3 };
        dictionary["map"] = new Dictionary<string, double> { ["pi"] = 3.25 };
        dictionary[7] = true;
        dictionary["nothing"] = null;
    }

    public static string CreateArrayAndReturnPath() => SharedArray<int>.Create(1, 2, 3).FilePath;

    /// <summary>Starts a pool inside this (child) process, writes its worker pids to <paramref name="pidFile"/>, then waits to be killed.</summary>
    public static void StartPoolAndWait(string pidFile)
    {
        var pool = new ProcessPool(2);
        pool.Map(Plus, [1, 2, 3, 4]);
        File.WriteAllText(pidFile + ".tmp", string.Join(",", pool.WorkerProcessIds));
        File.Move(pidFile + ".tmp", pidFile);
        Thread.Sleep(Timeout.Infinite);
    }
}
