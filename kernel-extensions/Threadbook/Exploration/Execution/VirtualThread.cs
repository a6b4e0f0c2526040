using Threadbook.Scheduling;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// One thread of an <see cref="ExploredProgram"/> in one schedule: its code runs on a <see cref="VirtualThreadRunner"/>,
/// and only while the schedule gives it the turn. Its operations on shared objects are the schedule's steps.
/// </summary>
internal sealed class VirtualThread : IExploredThread
{
    private static readonly ContextCallback RunBody = static state => ((VirtualThread)state!)._body();

    private readonly ScheduleExecution _execution;
    private readonly Action _body;
    private readonly ExecutionContext? _context;

    public VirtualThread(ScheduleExecution execution, int index, ProgramThread definition, VirtualThreadRunner runner, ExecutionContext? context)
    {
        _execution = execution;
        Index = index;
        Name = definition.Name;
        _body = definition.Body;
        Runner = runner;
        _context = context;
    }

    /// <summary>0-based; the thread number is one more.</summary>
    public int Index { get; }

    public string Name { get; }

    public VirtualThreadRunner Runner { get; }

    /// <summary>The managed id its code runs with (the runner's): what locks record as their owner.</summary>
    public int ManagedThreadId => Runner.ManagedThreadId;

    /// <summary>The operation it waits at its scheduling point to perform.</summary>
    public ScheduledOperation Pending { get; set; }

    /// <summary>Set by the schedule when it chose this thread to let its wait time out.</summary>
    public bool TimedOut { get; set; }

    public bool IsFinished { get; private set; }

    /// <summary>What its code threw (not counting the unwinding of an abandoned schedule), or null.</summary>
    public Exception? Failure { get; private set; }

    public bool IsRecording => _execution.IsRecording;

    public ScheduleOutputCapture? Output => _execution.Output;

    public bool Yield(in ScheduledOperation operation) => _execution.Yield(this, operation);

    public void Note(string detail) => _execution.Recording?.Note(detail);

    public (int ObjectId, string Name) RegisterObject(string? name, string kind) => _execution.Objects.Register(name, kind);

    /// <summary>Runs the thread's code on the calling runner, then hands the turn on.</summary>
    public void Run()
    {
        var thread = Thread.CurrentThread;
        if (thread.Name != Name)
        {
            // Messages from the primitives name the thread ("t1 cannot release ..."): give them the virtual thread's name.
            thread.Name = Name;
        }

        var previous = SchedulingHook.Attach(this);
        try
        {
            if (_context is null)
            {
                _body();
            }
            else
            {
                ExecutionContext.Run(_context, RunBody, this);
            }
        }
        catch (ScheduleAbandonedException)
        {
        }
        catch (Exception exception)
        {
            Failure = exception;
        }
        finally
        {
            SchedulingHook.Attach(previous);
        }

        IsFinished = true;
        _execution.ThreadEnded(this);
    }
}
