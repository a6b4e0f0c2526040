using Threadbook.Exploration.Execution;
using Threadbook.Exploration.Views;
using Threadbook.Scheduling;

namespace Threadbook.Exploration;

/// <summary>
/// The program the explorer runs, as the function given to <see cref="Explorer.Explore"/> builds it: shared variables,
/// the threads, and the checks its final state must pass. That function runs again before every schedule, so each
/// schedule starts from a fresh state; it must build the same program every time (no clocks, no random numbers).
/// <code>
/// Explorer.Explore(program =>
/// {
///     var glNum = program.Shared("gl_num", 0);
///     program.Thread("t1", () => glNum.Value += 1);
///     program.Thread("t2", () => glNum.Value += 1);
///     program.Check(() => glNum.Value == 2, "gl_num == 2");
/// });
/// </code>
/// </summary>
/// <remarks>
/// The threads switch only at scheduling points: reads and writes of <see cref="SharedVariable{T}"/>s and every
/// operation of Threadbook's traced primitives (<see cref="Threading.TracedRLock"/>, <see cref="Threading.TracedLock"/>,
/// <see cref="Threading.TracedSemaphore"/>, <see cref="Threading.TracedEvent"/>, <see cref="Threading.TracedCondition"/>,
/// <see cref="Threading.TracedBarrier"/>),
/// created inside this function. Anything else a thread does (local variables, plain fields, output) is treated as
/// private to it. Threads must not block on anything else (a plain <c>lock</c>, <c>Thread.Sleep</c>, <c>Join</c>).
/// </remarks>
public sealed class ExploredProgram
{
    /// <summary>The most threads a program may have.</summary>
    public const int MaxThreads = 64;

    private readonly List<ProgramThread> _threads = [];
    private readonly List<IScheduledObject> _sharedVariables = [];
    private readonly List<ProgramCheck> _checks = [];
    private Func<object?>? _outcome;

    internal ExploredProgram()
    {
    }

    internal IReadOnlyList<ProgramThread> Threads => _threads;

    internal IReadOnlyList<IScheduledObject> SharedVariables => _sharedVariables;

    internal IReadOnlyList<ProgramCheck> Checks => _checks;

    /// <summary>A variable the threads share, starting at <paramref name="initialValue"/>; its reads and writes are scheduling points.</summary>
    public SharedVariable<T> Shared<T>(string name, T initialValue)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var variable = new SharedVariable<T>(this, name, initialValue);
        _sharedVariables.Add(variable);
        return variable;
    }

    /// <summary>Adds a thread named <paramref name="name"/> that runs <paramref name="body"/>.</summary>
    /// <exception cref="ArgumentException">Another thread has that name, or there are already <see cref="MaxThreads"/>.</exception>
    public void Thread(string name, Action body)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(body);
        if (_threads.Count == MaxThreads)
        {
            throw new ArgumentException($"An explored program has at most {MaxThreads} threads.", nameof(body));
        }

        if (_threads.Any(thread => thread.Name == name))
        {
            throw new ArgumentException($"Two threads are named '{name}'; give each thread its own name.", nameof(name));
        }

        _threads.Add(new ProgramThread(name, body));
    }

    /// <summary>Adds a thread named <c>t1</c>, <c>t2</c>, … in the order they are added.</summary>
    public void Thread(Action body) => Thread($"t{_threads.Count + 1}", body);

    /// <summary>
    /// A claim about the final state, checked after every schedule in which all threads finished: when
    /// <paramref name="invariant"/> returns false (or throws), the schedule is a bug.
    /// </summary>
    public void Check(Func<bool> invariant, string claim)
    {
        ArgumentNullException.ThrowIfNull(invariant);
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        _checks.Add(new ProgramCheck(invariant, claim));
    }

    /// <summary>
    /// What a schedule ended with, for the tally of outcomes (default: every shared variable, <c>gl_num = 2</c>).
    /// </summary>
    public void Outcome(Func<object?> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        _outcome = describe;
    }

    /// <summary>An assertion inside a thread: when <paramref name="condition"/> is false, the schedule is a bug.</summary>
    public void Assert(bool condition, string claim)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(claim);
        if (!condition)
        {
            throw new ExplorationAssertionException(claim);
        }
    }

    /// <summary>The outcome of the finished schedule: the custom description, or every shared variable's value.</summary>
    internal string DescribeOutcome()
    {
        if (_outcome is not null)
        {
            return ValueText.Of(_outcome());
        }

        return _sharedVariables.Count == 0
            ? "finished"
            : string.Join(", ", _sharedVariables.Select(variable => $"{variable.Name} = {variable.DescribeState(id => $"#{id}")}"));
    }
}
