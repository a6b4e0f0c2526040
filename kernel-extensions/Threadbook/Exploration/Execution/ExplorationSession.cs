using System.Runtime.ExceptionServices;
using Threadbook.Fibers;
using Threadbook.Scheduling;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// Runs schedules of one program on a few long-lived runner threads (started once, as many as the program has threads,
/// reused by every schedule, stopped and joined at the end). The caller starts the first schedule and then only waits:
/// each later schedule is concluded and the next one built and started by the runner whose step ended the previous
/// one, so a schedule costs no hand-off to or from the caller.
/// </summary>
internal sealed class ExplorationSession : IDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private static readonly ContextCallback RunInContext = static state => ((Action)state!)();

    private readonly Action<ExploredProgram> _define;
    private readonly ExplorationOptions _options;
    private readonly List<VirtualThreadRunner> _runners = [];
    private readonly ParkingSpot _caller = new();
    private readonly ObjectIdCache _objects = new();
    private readonly ProgramSetupThread _setup;
    private readonly ScheduleOutputCapture? _output;
    private readonly ExecutionContext? _context;
    private IScheduleStrategy? _strategy;
    private Func<ScheduleOutcome, ScheduleExecution, bool>? _onSchedule;
    private bool _record;
    private ExploredProgram? _program;
    private ScheduleExecution? _current;
    private ExceptionDispatchInfo? _failure;
    private volatile bool _finished;
    private volatile bool _stopping;
    private long _schedulesEnded;
    private bool _disposed;

    public ExplorationSession(Action<ExploredProgram> define, ExplorationOptions options)
    {
        _define = define;
        _options = options;
        _output = options.CaptureOutput ? new ScheduleOutputCapture() : null;
        _setup = new ProgramSetupThread(_objects, _output);

        // The virtual threads, the program's setup and its checks run in the caller's context, so what they display and
        // whatever output is not captured goes where the caller's does (a notebook cell).
        _context = ExecutionContext.Capture();
        SchedulingHook.ExplorationStarted();
        if (_output is not null)
        {
            ExplorationConsole.Acquire();
        }
    }

    /// <summary>
    /// Runs schedules chosen by <paramref name="strategy"/> until it has none left or <paramref name="onSchedule"/>
    /// returns false. <paramref name="onSchedule"/> is called after each schedule, on whichever runner ended it (never two
    /// at once); it must not block.
    /// </summary>
    /// <exception cref="TimeoutException">No schedule ended for <see cref="ExplorationOptions.ScheduleTimeout"/>: a virtual thread is stuck.</exception>
    public void Run(IScheduleStrategy strategy, bool record, Func<ScheduleOutcome, ScheduleExecution, bool> onSchedule)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        (_strategy, _record, _onSchedule, _failure, _finished) = (strategy, record, onSchedule, null, false);
        if (StartNext())
        {
            var timeout = (int)_options.ScheduleTimeout.TotalMilliseconds;
            while (!_finished)
            {
                var ended = Interlocked.Read(ref _schedulesEnded);

                // Blocks at once: a spinning caller would only take a core from the runners.
                if (!_caller.Park(timeout, spin: false) && !_finished && Interlocked.Read(ref _schedulesEnded) == ended)
                {
                    throw Stuck();
                }
            }
        }

        _failure?.Throw();
    }

    /// <summary>Stops and joins the runners (but one found stuck, which is left behind: it is a background thread).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stopping = true;
        try
        {
            _current?.BeginAbort();
            var stuck = _current?.HasTurn?.Runner;
            foreach (var runner in _runners)
            {
                runner.Stop();
            }

            foreach (var runner in _runners.Where(runner => runner != stuck))
            {
                runner.Join(StopTimeout);
            }
        }
        finally
        {
            SchedulingHook.ExplorationEnded();
            if (_output is not null)
            {
                ExplorationConsole.Release();
            }
        }
    }

    /// <summary>Builds the program afresh and starts the next schedule; false when there is none (or it failed).</summary>
    private bool StartNext()
    {
        try
        {
            if (_stopping || !_strategy!.PrepareNextSchedule())
            {
                return false;
            }

            _output?.Clear();
            var program = Build();
            while (_runners.Count < program.Threads.Count)
            {
                _runners.Add(new VirtualThreadRunner(_runners.Count + 1));
            }

            _program = program;
            _current = new ScheduleExecution(program, _runners, _strategy, ScheduleEnded, _options.MaxSteps, _objects, _context, _record, _output);
            _current.Begin();
            return true;
        }
        catch (Exception exception)
        {
            _failure = ExceptionDispatchInfo.Capture(exception);
            return false;
        }
    }

    /// <summary>On the runner that ended <paramref name="execution"/>: concludes it, and starts the next one or wakes the caller.</summary>
    private void ScheduleEnded(ScheduleExecution execution)
    {
        Interlocked.Increment(ref _schedulesEnded);
        try
        {
            _strategy!.ScheduleEnded(execution.StepCount);
            if (execution.Misuse is { } misuse)
            {
                throw new InvalidOperationException(misuse);
            }

            if (!_stopping && _onSchedule!(Conclude(_program!, execution), execution) && StartNext())
            {
                return;
            }
        }
        catch (Exception exception)
        {
            _failure = ExceptionDispatchInfo.Capture(exception);
        }

        _finished = true;
        _caller.Unpark();
    }

    private TimeoutException Stuck()
    {
        var stuck = _current?.HasTurn;
        return new TimeoutException(
            $"Virtual thread '{stuck?.Name ?? "?"}' ran for {_options.ScheduleTimeout.TotalSeconds:0.#} s without reaching a scheduling point. " +
            "It is probably blocked on something the explorer does not control (a plain lock, Monitor, Thread.Sleep, Join, a wait handle) " +
            "or loops without touching a shared variable or a traced primitive. Use SharedVariable and Threadbook's traced primitives in explored code.");
    }

    private ExploredProgram Build()
    {
        var program = new ExploredProgram();
        _objects.BeginSchedule();
        InCallerContext(() => _define(program));
        if (program.Threads.Count == 0)
        {
            throw new ArgumentException("The explored program has no threads: add some with program.Thread(...).");
        }

        return program;
    }

    /// <summary>Runs <paramref name="action"/> as the program's setup: in the caller's context, its operations unscheduled.</summary>
    private void InCallerContext(Action action)
    {
        var previous = SchedulingHook.Attach(_setup);
        try
        {
            if (_context is null)
            {
                action();
            }
            else
            {
                ExecutionContext.Run(_context, RunInContext, action);
            }
        }
        finally
        {
            SchedulingHook.Attach(previous);
        }
    }

    private ScheduleOutcome Conclude(ExploredProgram program, ScheduleExecution execution)
    {
        var end = execution.End ?? ScheduleEnd.Completed;
        if (execution.FirstFailed is { Failure: { } failure } failed)
        {
            var label = failure is ExplorationAssertionException ? $"{failed.Name}: assertion failed" : $"{failed.Name} threw {failure.GetType().Name}";
            return new ScheduleOutcome(execution.Schedule, end, label, ThreadBug(failed.Name, failure));
        }

        switch (end)
        {
            case ScheduleEnd.Deadlocked:
                return new ScheduleOutcome(execution.Schedule, end, "deadlock", execution.Deadlock);
            case ScheduleEnd.StepBound:
                return new ScheduleOutcome(execution.Schedule, end, $"cut at {_options.MaxSteps} steps", null);
            case ScheduleEnd.Redundant:
                return new ScheduleOutcome(execution.Schedule, end, "redundant", null);
            default:
                string outcome = "";
                ExplorationBug? bug = null;
                InCallerContext(() => (outcome, bug) = (DescribeOutcome(program), FailedCheck(program)));
                return new ScheduleOutcome(execution.Schedule, end, outcome, bug);
        }
    }

    private static ExplorationBug ThreadBug(string thread, Exception failure) => failure is ExplorationAssertionException assertion
        ? new ExplorationBug(BugKind.AssertionFailed, $"{thread}: assertion failed: {assertion.Claim}") { ThreadName = thread, Claim = assertion.Claim, Exception = failure }
        : new ExplorationBug(BugKind.ThreadException, $"{thread} threw {failure.GetType().Name}: {failure.Message}") { ThreadName = thread, Exception = failure };

    private static string DescribeOutcome(ExploredProgram program)
    {
        try
        {
            return program.DescribeOutcome();
        }
        catch (Exception exception)
        {
            return $"(the outcome threw {exception.GetType().Name})";
        }
    }

    private static ExplorationBug? FailedCheck(ExploredProgram program)
    {
        foreach (var check in program.Checks)
        {
            bool holds;
            try
            {
                holds = check.Invariant();
            }
            catch (Exception exception)
            {
                return new ExplorationBug(BugKind.AssertionFailed, $"check threw {exception.GetType().Name}: {check.Claim}") { Claim = check.Claim, Exception = exception };
            }

            if (!holds)
            {
                return new ExplorationBug(BugKind.AssertionFailed, $"check failed: {check.Claim}") { Claim = check.Claim };
            }
        }

        return null;
    }
}
