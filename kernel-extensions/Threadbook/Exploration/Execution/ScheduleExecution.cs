using System.Numerics;
using Threadbook.Fibers;
using Threadbook.Scheduling;
using Threadbook.Threading;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// One run of an explored program along one schedule. Its virtual threads take turns, one at a time: the thread that
/// has the turn runs until its next scheduling point (<see cref="Yield"/>), where, on its own OS thread, it asks the
/// strategy which thread takes the next step and hands the turn over (a <see cref="ParkingSpot"/> unpark, then its own
/// park), or simply goes on when the strategy picks it again. So a step costs no thread switch at all when the same
/// thread goes on, and one hand-off when another does.
/// </summary>
/// <remarks>
/// <para>At the start the threads run one after another up to their first scheduling point (what comes before it is
/// private to each thread), so that every thread has a pending operation before the first choice. A thread whose pending
/// operation cannot go on (a lock someone holds) is not offered to the strategy; when no thread can go on and some have
/// not finished, the schedule has deadlocked — unless some of them wait with a timeout, which then times out (time moves
/// on only when nothing else can happen).</para>
/// <para>The thread whose step ends the schedule becomes its coordinator: it unwinds its own code (if unfinished), then
/// gives each other unfinished thread the turn to unwind, and calls the session's end-of-schedule handler, which starts
/// the next schedule from there. No other thread takes part between schedules.</para>
/// </remarks>
internal sealed class ScheduleExecution
{
    private readonly ExploredProgram _program;
    private readonly VirtualThread[] _threads;
    private readonly IScheduleStrategy _strategy;
    private readonly Action<ScheduleExecution> _ended;
    private readonly int _maxSteps;
    private readonly List<int> _choices = [];
    private int _nextToStart;
    private volatile bool _aborting;
    private VirtualThreadRunner? _coordinator;

    public ScheduleExecution(
        ExploredProgram program,
        IReadOnlyList<VirtualThreadRunner> runners,
        IScheduleStrategy strategy,
        Action<ScheduleExecution> ended,
        int maxSteps,
        ObjectIdCache objects,
        ExecutionContext? context,
        bool record,
        ScheduleOutputCapture? output)
    {
        _program = program;
        _strategy = strategy;
        _ended = ended;
        _maxSteps = maxSteps;
        Objects = objects;
        Output = output;
        _threads = new VirtualThread[program.Threads.Count];
        for (var i = 0; i < _threads.Length; i++)
        {
            _threads[i] = new VirtualThread(this, i, program.Threads[i], runners[i], context);
        }

        Recording = record ? new ScheduleRecording(_threads, program.SharedVariables) : null;
    }

    public IReadOnlyList<VirtualThread> Threads => _threads;

    public int ThreadCount => _threads.Length;

    /// <summary>Steps taken so far.</summary>
    public int StepCount => _choices.Count;

    public ObjectIdCache Objects { get; }

    public ScheduleRecording? Recording { get; }

    /// <summary>What the program printed during this schedule (its setup included), or null when output is not captured.</summary>
    public ScheduleOutputCapture? Output { get; }

    public bool IsRecording => Recording is not null;

    /// <summary>How the schedule ended; null while it runs.</summary>
    public ScheduleEnd? End { get; private set; }

    /// <summary>The deadlock, when <see cref="End"/> is <see cref="ScheduleEnd.Deadlocked"/>.</summary>
    public ExplorationBug? Deadlock { get; private set; }

    /// <summary>Why the schedule cannot be trusted (a thread used an object from outside the program), or null.</summary>
    public string? Misuse { get; private set; }

    /// <summary>The first thread whose code threw while the schedule ran, or null.</summary>
    public VirtualThread? FirstFailed { get; private set; }

    /// <summary>The thread that has the turn, or null between schedules.</summary>
    public VirtualThread? HasTurn { get; private set; }

    /// <summary>The schedule as taken so far.</summary>
    public Schedule Schedule => new([.. _choices]);

    /// <summary>The operation thread <paramref name="index"/> waits to perform (default once it has finished).</summary>
    public ScheduledOperation PendingOf(int index) => _threads[index].Pending;

    /// <summary>Starts the first thread; the schedule then runs on the runners until its coordinator calls the end handler.</summary>
    public void Begin()
    {
        _nextToStart = 1;
        HasTurn = _threads[0];
        _threads[0].Runner.Start(_threads[0]);
    }

    /// <summary>
    /// Makes every unfinished thread unwind when it next runs (for an exploration that gives up on a stuck schedule).
    /// </summary>
    public void BeginAbort() => _aborting = true;

    /// <summary>A scheduling point of <paramref name="thread"/>, which has the turn. Returns when it is chosen again.</summary>
    /// <returns>False when it was chosen to let its wait time out.</returns>
    public bool Yield(VirtualThread thread, in ScheduledOperation operation)
    {
        if (_aborting)
        {
            // An abandoned thread unwinds: what it can do without waiting (a release in a finally block) it does.
            if (operation.NeverWaits || operation.Target.CanProceed(operation, thread.ManagedThreadId))
            {
                return true;
            }

            throw new ScheduleAbandonedException();
        }

        if (Foreign(thread, operation.Target) is { } misuse)
        {
            Misuse ??= misuse;
            throw new ExplorationMisuseException(misuse);
        }

        thread.Pending = operation;
        HandOn(thread, finished: false);
        thread.Pending = default;
        return !thread.TimedOut;
    }

    /// <summary>
    /// Why <paramref name="target"/> cannot be scheduled, or null: an object made outside this schedule's program keeps
    /// its state from one schedule to the next (a lock left held, a value left changed), so schedules would no longer
    /// start alike and the search would be unsound.
    /// </summary>
    private string? Foreign(VirtualThread thread, IScheduledObject target)
    {
        var foreign = target is IProgramOwned owned
            ? !ReferenceEquals(owned.Program, _program)
            : target.ObjectId is var objectId and not 0 && !Objects.IssuedThisSchedule(objectId);
        return foreign
            ? $"{thread.Name} used {target.Kind} '{target.Name}', which was created outside the explored program. The program is built afresh " +
              "for every schedule, and an object from outside would carry its state from one schedule into the next. Create it inside the " +
              "program (in the #!explore cell, or the method given to Explorer.Explore), like the threads that use it."
            : null;
    }

    /// <summary>Called on <paramref name="thread"/>'s runner once its code has returned or thrown (or unwound).</summary>
    public void ThreadEnded(VirtualThread thread)
    {
        if (_aborting)
        {
            if (thread.Runner == _coordinator)
            {
                Coordinate();
            }
            else
            {
                // An abandoned thread has unwound: the coordinator goes on.
                _coordinator?.Spot.Unpark();
            }

            return;
        }

        if (thread.Failure is not null)
        {
            FirstFailed ??= thread;
        }

        HandOn(thread, finished: true);
    }

    /// <summary>
    /// Passes the turn on from <paramref name="from"/>: to the next thread still to start, else to the one the strategy
    /// chooses; unless <paramref name="from"/> has <paramref name="finished"/>, parks it until its turn comes again. When
    /// the schedule is over, <paramref name="from"/> becomes the coordinator.
    /// </summary>
    private void HandOn(VirtualThread from, bool finished)
    {
        VirtualThread next;
        if (_nextToStart < _threads.Length)
        {
            next = _threads[_nextToStart++];
            HasTurn = next;
            next.Runner.Start(next);
        }
        else
        {
            var choice = Decide();
            if (choice < 0)
            {
                _aborting = true;
                _coordinator = from.Runner;
                if (!finished)
                {
                    // Unwind this thread's own code first; its runner then coordinates from VirtualThread.Run.
                    throw new ScheduleAbandonedException();
                }

                Coordinate();
                return;
            }

            next = _threads[choice];
            if (ReferenceEquals(next, from))
            {
                return;
            }

            HasTurn = next;
            next.Runner.Spot.Unpark();
        }

        if (finished)
        {
            return;
        }

        from.Runner.Spot.Park(Timeout.Infinite, yieldWhileSpinning: true);
        if (_aborting)
        {
            throw new ScheduleAbandonedException();
        }
    }

    /// <summary>On the coordinator's runner, its own thread finished or unwound: unwinds the others one by one, then ends the schedule.</summary>
    private void Coordinate()
    {
        var self = _coordinator!;
        foreach (var thread in _threads)
        {
            if (!thread.IsFinished && thread.Runner != self)
            {
                HasTurn = thread;
                thread.Runner.Spot.Unpark();
                self.Spot.Park(Timeout.Infinite, yieldWhileSpinning: true);
            }
        }

        HasTurn = null;
        _ended(this);
    }

    /// <summary>Chooses the next step's thread, or ends the schedule (-1).</summary>
    private int Decide()
    {
        Recording?.EndStep();
        ulong enabled = 0, waiting = 0, timed = 0;
        for (var i = 0; i < _threads.Length; i++)
        {
            var thread = _threads[i];
            if (thread.IsFinished)
            {
                continue;
            }

            var pending = thread.Pending;
            if (pending.NeverWaits || pending.Target.CanProceed(pending, thread.ManagedThreadId))
            {
                enabled |= 1UL << i;
            }
            else
            {
                waiting |= 1UL << i;
                if (pending.CanTimeOut)
                {
                    timed |= 1UL << i;
                }
            }
        }

        var timeouts = false;
        if (enabled == 0)
        {
            if (waiting == 0)
            {
                return Finish(ScheduleEnd.Completed, waiting);
            }

            if (timed == 0)
            {
                return Finish(ScheduleEnd.Deadlocked, waiting);
            }

            enabled = timed;
            timeouts = true;
        }

        if (_choices.Count >= _maxSteps)
        {
            return Finish(ScheduleEnd.StepBound, waiting);
        }

        var choice = _strategy.Choose(this, enabled, timeouts);
        if (choice < 0)
        {
            return Finish(ScheduleEnd.Redundant, waiting);
        }

        _threads[choice].TimedOut = timeouts;
        _choices.Add(choice);
        Recording?.BeginStep(choice, enabled, waiting, timeouts);
        return choice;
    }

    private int Finish(ScheduleEnd end, ulong waiting)
    {
        End = end;
        if (end == ScheduleEnd.Deadlocked)
        {
            Deadlock = DescribeDeadlock(waiting);
        }

        Recording?.Finish(waiting);
        return -1;
    }

    private string ThreadName(int managedThreadId) =>
        _threads.FirstOrDefault(thread => thread.ManagedThreadId == managedThreadId)?.Name ?? $"thread #{managedThreadId}";

    /// <summary>The deadlock among the <paramref name="waiting"/> threads: the wait-for cycle when there is one, and every wait.</summary>
    private ExplorationBug DescribeDeadlock(ulong waiting)
    {
        var waits = new List<string>();
        var holderOf = new Dictionary<int, int>();
        for (var rest = waiting; rest != 0; rest &= rest - 1)
        {
            var index = BitOperations.TrailingZeroCount(rest);
            var target = _threads[index].Pending.Target;
            var ownerId = target is IWaitTarget waitTarget ? waitTarget.DefiniteOwnerId : 0;
            var holder = ownerId == 0 ? -1 : Array.FindIndex(_threads, thread => thread.ManagedThreadId == ownerId);
            var state = holder >= 0 ? $"held by {_threads[holder].Name}" : target.DescribeState(ThreadName);
            waits.Add($"{_threads[index].Name} waits for {target.Kind} '{target.Name}' ({state})");
            if (holder >= 0 && (waiting & (1UL << holder)) != 0)
            {
                holderOf[index] = holder;
            }
        }

        var cycle = FindCycle(holderOf);
        var description = cycle.Count > 0
            ? "deadlock: " + string.Join("; ", cycle.Select(step => step.IsSelfWait
                ? $"{step.ThreadName} holds {step.WaitsFor} and waits for it again ({step.WaitsForKind} is not re-entrant)"
                : $"{step.ThreadName} holds {step.Holds} and waits for {step.WaitsFor}, held by {step.HolderThreadName}"))
            : "deadlock: no thread can go on: " + string.Join("; ", waits);
        return new ExplorationBug(BugKind.Deadlock, description) { Cycle = cycle, Waits = waits };
    }

    /// <summary>The first cycle of "waits for something held by" among the stuck threads, from its lowest-numbered thread.</summary>
    private List<DeadlockStep> FindCycle(Dictionary<int, int> holderOf)
    {
        foreach (var start in holderOf.Keys.Order())
        {
            var path = new List<int> { start };
            var current = start;
            while (holderOf.TryGetValue(current, out var next))
            {
                var seen = path.IndexOf(next);
                if (seen >= 0)
                {
                    var members = path.Skip(seen).ToList();
                    var first = members.IndexOf(members.Min());
                    members = [.. members.Skip(first), .. members.Take(first)];
                    return members.Select((member, k) => Step(member, members[(k + members.Count - 1) % members.Count], members[(k + 1) % members.Count])).ToList();
                }

                path.Add(next);
                current = next;
            }
        }

        return [];
    }

    private DeadlockStep Step(int member, int previous, int holder)
    {
        var waitsFor = (IWaitTarget)_threads[member].Pending.Target;
        var holds = (IWaitTarget)_threads[previous].Pending.Target;
        return new DeadlockStep(
            member + 1, _threads[member].Name,
            holds.Name, holds.ObjectId,
            waitsFor.Name, waitsFor.Kind, waitsFor.ObjectId,
            holder + 1, _threads[holder].Name);
    }
}
