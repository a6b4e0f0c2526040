using System.Runtime.CompilerServices;
using Threadbook.Exploration.Execution;
using Threadbook.Exploration.Views;
using Threadbook.Scheduling;

namespace Threadbook.Exploration;

/// <summary>
/// A variable the threads of an explored program share (make one with <see cref="ExploredProgram.Shared{T}"/>). Every
/// read and every write is a scheduling point, so the explorer can put another thread's steps between a read and the
/// write that depends on it: <c>counter.Value += 1</c> is two steps, and two threads doing it can lose an update — the
/// race the notes' <c>gl_num += 1</c> has, which systematic testers that switch threads only at lock and task
/// operations cannot see.
/// </summary>
/// <typeparam name="T">The value's type.</typeparam>
/// <remarks>Outside an exploration it is an ordinary field: no scheduling, no synchronisation.</remarks>
public sealed class SharedVariable<T> : IScheduledObject, IProgramOwned
{
    private T _value;

    internal SharedVariable(ExploredProgram program, string name, T initialValue)
    {
        Program = program;
        Name = name;
        _value = initialValue;
    }

    /// <summary>The name shown in schedules, timelines and outcomes.</summary>
    public string Name { get; }

    /// <summary>The value. Under the explorer, reading it is one step and writing it another.</summary>
    public T Value
    {
        get => SchedulingHook.IsActive ? ReadScheduled() : _value;
        set
        {
            if (SchedulingHook.IsActive)
            {
                WriteScheduled(value);
            }
            else
            {
                _value = value;
            }
        }
    }

    string IScheduledObject.Kind => "shared";

    int IScheduledObject.ObjectId => 0;

    /// <inheritdoc />
    public ExploredProgram Program { get; }

    /// <summary>
    /// Reads the value, applies <paramref name="change"/> and writes the result as one indivisible step (like
    /// <c>Interlocked</c>): no other thread's step can come in between.
    /// </summary>
    /// <returns>The new value.</returns>
    public T Update(Func<T, T> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var scheduled = SchedulingHook.IsActive ? SchedulingHook.Current : null;
        scheduled?.Yield(new ScheduledOperation(OperationKind.Update, this));
        var before = _value;
        _value = change(before);
        if (scheduled is { IsRecording: true })
        {
            scheduled.Note($"{ValueText.Of(before)} → {ValueText.Of(_value)}");
        }

        return _value;
    }

    /// <summary><c>name = value</c>.</summary>
    public override string ToString() => $"{Name} = {ValueText.Of(_value)}";

    bool IScheduledObject.CanProceed(in ScheduledOperation operation, int threadId) => true;

    string IScheduledObject.DescribeState(Func<int, string> threadName) => ValueText.Of(_value);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private T ReadScheduled()
    {
        if (SchedulingHook.Current is not { } scheduled)
        {
            return _value;
        }

        scheduled.Yield(new ScheduledOperation(OperationKind.Read, this));
        var value = _value;
        if (scheduled.IsRecording)
        {
            scheduled.Note($"→ {ValueText.Of(value)}");
        }

        return value;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteScheduled(T value)
    {
        var scheduled = SchedulingHook.Current;
        scheduled?.Yield(new ScheduledOperation(OperationKind.Write, this));
        _value = value;
        if (scheduled is { IsRecording: true })
        {
            scheduled.Note($"← {ValueText.Of(value)}");
        }
    }
}
