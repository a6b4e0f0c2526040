namespace Threadbook.Processes;

/// <summary>The process running a call ended before the call did (it was killed, crashed, or called <c>Environment.Exit</c>).</summary>
public sealed class WorkerDiedException : Exception
{
    /// <summary>Creates the exception: "worker 1234 died while running Foo(3): it was killed by SIGKILL (signal 9, exit code 137)".</summary>
    public WorkerDiedException(int processId, string call, string howItEnded)
        : base($"worker {processId} died while running {call}: it {howItEnded}")
    {
        ProcessId = processId;
        Call = call;
        HowItEnded = howItEnded;
    }

    /// <summary>The process that died.</summary>
    public int ProcessId { get; }

    /// <summary>The call it was running.</summary>
    public string Call { get; }

    /// <summary>How it ended, e.g. "was killed by SIGKILL (signal 9, exit code 137)".</summary>
    public string HowItEnded { get; }
}
