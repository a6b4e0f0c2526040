using System.Diagnostics;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;
using Threadbook.Tracing;

namespace Threadbook.Processes.Pool;

/// <summary>
/// The pool's record of one worker process: what was sent to it and not finished (in order), what it runs, what it
/// finished. Every field is read and written under the pool's lock, except by the worker's own reader thread where noted.
/// </summary>
internal sealed class PoolWorkerRecord(WorkerProcess process, int number)
{
    /// <summary>Tasks at most this short on average are sent several at a time (it saves a round trip per task).</summary>
    private static readonly double ShortTaskTicks = Stopwatch.Frequency / 1000.0;
    private const int ShortTaskWindow = 16;

    public WorkerProcess Process { get; } = process;

    public int Number { get; } = number;

    public int Pid => Process.Pid;

    /// <summary>Set when it connected back.</summary>
    public FrameConnection? Connection { get; set; }

    public PoolWorkerState State { get; set; } = PoolWorkerState.Starting;

    /// <summary>Sent and not finished, in the order the worker runs them.</summary>
    public Queue<PoolTask> Sent { get; } = new();

    /// <summary>The task it reported starting and has not finished.</summary>
    public PoolTask? Running { get; set; }

    public int TasksDone { get; set; }

    /// <summary>User tasks sent to it (initializer not counted), for <see cref="PoolDispatcher.MaxTasksPerChild"/>.</summary>
    public int TasksSent { get; set; }

    /// <summary>True when it was told to exit to be replaced (task budget spent, or its initializer failed): its end is expected, and a successor starts.</summary>
    public bool Replace { get; set; }

    /// <summary>True once it was told to exit (the pool is closed and has nothing for it).</summary>
    public bool ExitSent { get; set; }

    /// <summary>The functions this worker was told about (each once).</summary>
    public HashSet<WorkerFunction> Defined { get; } = [];

    /// <summary>Frames waiting to be sent to it.</summary>
    public FrameWriter Outgoing { get; } = new();

    /// <summary>The context its output goes to: the submitter of the task it runs (or last ran).</summary>
    public ExecutionContext? OutputContext { get; set; }

    /// <summary>Its lane on a trace's timeline.</summary>
    public TraceLane Lane { get; } = new($"worker process {process.Pid}");

    /// <summary>Average task length (Stopwatch ticks, measured by the worker); negative until a task finished.</summary>
    public double AverageTaskTicks { get; private set; } = -1;

    /// <summary>True while a <see cref="MessageKind.Revoke"/> sent to it is unanswered.</summary>
    public bool RevokeSent { get; set; }

    /// <summary>How many unfinished tasks it may hold: one, unless its tasks are short and the one it runs is not long.</summary>
    public int Window =>
        AverageTaskTicks is >= 0 and var average && average < ShortTaskTicks && LongTaskAge(Stopwatch.GetTimestamp()) is null
            ? ShortTaskWindow
            : 1;

    /// <summary>What it holds, as <see cref="TakeBackRule"/> reads it.</summary>
    public WorkerLoad Load => new(Connection is not null, ExitSent, RevokeSent, Sent.Count, Running?.StartedAt);

    /// <summary>How long the task it runs has run, when that is long already; null when it runs none or a short one.</summary>
    private long? LongTaskAge(long now) =>
        Running is { } running && now - running.StartedAt is var age && age >= TakeBackRule.LongTaskTicks ? age : null;

    /// <summary>True when it can take a task now.</summary>
    public bool CanTake => Connection is not null && !ExitSent && State is PoolWorkerState.Idle or PoolWorkerState.Busy && Sent.Count < Window;

    public void RecordTaskLength(long ticks) =>
        AverageTaskTicks = AverageTaskTicks < 0 ? ticks : AverageTaskTicks * 0.8 + ticks * 0.2;

    public PoolWorkerSnapshot Snapshot() => new(Number, Pid, State, Running?.Call, TasksDone, Sent.Count);
}
