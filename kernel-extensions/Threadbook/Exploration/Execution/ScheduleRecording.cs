using System.Numerics;
using Threadbook.Scheduling;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// The steps of one schedule as it runs, for its timeline and step table: who took each step and what it did, every
/// thread's state at that step, and the state of every shared variable and primitive after it. Rows are the program's
/// shared variables, then each primitive from the step that first touches it (its earlier cells show its state then,
/// which nobody had changed).
/// </summary>
internal sealed class ScheduleRecording
{
    private readonly VirtualThread[] _threads;
    private readonly List<IScheduledObject> _rows;
    private readonly List<string> _initialValues = [];
    private readonly List<List<string>> _valuesAfter = [];
    private readonly List<PendingStep> _steps = [];
    private bool _hasInitialValues;

    public ScheduleRecording(VirtualThread[] threads, IReadOnlyList<IScheduledObject> sharedVariables)
    {
        _threads = threads;
        _rows = [.. sharedVariables];
    }

    /// <summary>The row names, in order.</summary>
    public IReadOnlyList<string> RowNames => _rows.Select(row => row.Name).ToArray();

    /// <summary>The rows' kinds, in order.</summary>
    public IReadOnlyList<string> RowKinds => _rows.Select(row => row.Kind).ToArray();

    /// <summary>The rows' values before the first step.</summary>
    public IReadOnlyList<string> InitialValues => _initialValues;

    /// <summary>Each thread's state after the schedule ended.</summary>
    public IReadOnlyList<VirtualThreadState> FinalStates { get; private set; } = [];

    /// <summary>What each thread still waited for when the schedule ended (null for the others).</summary>
    public IReadOnlyList<string?> FinalBlockedOn { get; private set; } = [];

    /// <summary>Called as thread <paramref name="choice"/> is chosen for the next step.</summary>
    public void BeginStep(int choice, ulong enabled, ulong waiting, bool timeouts)
    {
        var (states, blockedOn) = Lanes(enabled, waiting, choice);
        var operation = _threads[choice].Pending;
        AddRow(operation.Target);
        if (operation.AlsoChanges is { } also)
        {
            AddRow(also);
        }

        _steps.Add(new PendingStep(choice, operation.Kind, operation.Target.Name, states, blockedOn) { Detail = timeouts ? "timed out" : null });
    }

    /// <summary>Adds what the current step did (<c>→ 0</c>).</summary>
    public void Note(string detail)
    {
        if (_steps.Count > 0)
        {
            var step = _steps[^1];
            step.Detail = step.Detail is null ? detail : $"{step.Detail} {detail}";
        }
    }

    /// <summary>Called when the current step is over (the next choice is due, or the schedule ends): the values after it.</summary>
    public void EndStep()
    {
        if (_steps.Count == 0)
        {
            if (!_hasInitialValues)
            {
                _initialValues.AddRange(Snapshot());
                _hasInitialValues = true;
            }
        }
        else if (_valuesAfter.Count < _steps.Count)
        {
            _valuesAfter.Add(Snapshot());
        }
    }

    /// <summary>Called when the schedule ends, with the threads still <paramref name="waiting"/>.</summary>
    public void Finish(ulong waiting)
    {
        EndStep();
        var enabled = 0UL;
        for (var i = 0; i < _threads.Length; i++)
        {
            if (!_threads[i].IsFinished && (waiting & (1UL << i)) == 0)
            {
                enabled |= 1UL << i;
            }
        }

        (FinalStates, FinalBlockedOn) = Lanes(enabled, waiting, chosen: -1);
        for (var rest = waiting; rest != 0; rest &= rest - 1)
        {
            AddRow(_threads[BitOperations.TrailingZeroCount(rest)].Pending.Target);
        }
    }

    /// <summary>The recorded steps.</summary>
    public IReadOnlyList<ScheduleStep> Steps() =>
        _steps.Select((step, i) => new ScheduleStep(
            i + 1,
            step.Thread + 1,
            _threads[step.Thread].Name,
            step.Operation,
            step.ObjectName,
            step.Detail,
            i < _valuesAfter.Count ? _valuesAfter[i] : Snapshot(),
            step.States,
            step.BlockedOn)).ToArray();

    private (VirtualThreadState[] States, string?[] BlockedOn) Lanes(ulong enabled, ulong waiting, int chosen)
    {
        var states = new VirtualThreadState[_threads.Length];
        var blockedOn = new string?[_threads.Length];
        for (var i = 0; i < _threads.Length; i++)
        {
            var bit = 1UL << i;
            states[i] = i == chosen ? VirtualThreadState.Running
                : _threads[i].IsFinished ? VirtualThreadState.Finished
                : (waiting & bit) != 0 ? VirtualThreadState.Blocked
                : VirtualThreadState.Ready;
            if (states[i] == VirtualThreadState.Blocked || (i == chosen && (enabled & bit) != 0 && (waiting & bit) != 0))
            {
                blockedOn[i] = _threads[i].Pending.Target.Name;
            }
        }

        return (states, blockedOn);
    }

    private void AddRow(IScheduledObject row)
    {
        if (_rows.Contains(row))
        {
            return;
        }

        // Nobody touched it before this step, so its state now is its state at every earlier step.
        var state = row.DescribeState(ThreadName);
        _rows.Add(row);
        if (_hasInitialValues)
        {
            _initialValues.Add(state);
        }

        foreach (var values in _valuesAfter)
        {
            values.Add(state);
        }
    }

    private List<string> Snapshot() => _rows.Select(row => row.DescribeState(ThreadName)).ToList();

    private string ThreadName(int managedThreadId) =>
        Array.Find(_threads, thread => thread.ManagedThreadId == managedThreadId)?.Name ?? $"thread #{managedThreadId}";

    private sealed class PendingStep(int thread, OperationKind operation, string objectName, VirtualThreadState[] states, string?[] blockedOn)
    {
        public int Thread { get; } = thread;

        public OperationKind Operation { get; } = operation;

        public string ObjectName { get; } = objectName;

        public VirtualThreadState[] States { get; } = states;

        public string?[] BlockedOn { get; } = blockedOn;

        public string? Detail { get; set; }
    }
}
