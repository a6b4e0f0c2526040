using System.Globalization;
using Threadbook.Rendering;

namespace Threadbook.Introspection;

/// <summary>
/// What a learner needs to know about a <see cref="Thread"/>: name, id, state, background flag, whether
/// it is alive, whether it is a pool thread, and its priority. Taking a summary never throws, whatever
/// state the thread is in (unstarted, running, ended, the calling thread).
/// </summary>
public sealed class ThreadSummary : IRenderable
{
    private ThreadSummary(Thread thread)
    {
        Name = thread.Name;
        ManagedThreadId = thread.ManagedThreadId;
        State = thread.ThreadState;
        IsAlive = thread.IsAlive;
        IsCallingThread = ReferenceEquals(thread, Thread.CurrentThread);
        // An ended thread no longer answers these: the runtime throws ThreadStateException.
        IsThreadPoolThread = Try(() => (bool?)thread.IsThreadPoolThread);
        IsBackground = Try(() => (bool?)thread.IsBackground);
        Priority = Try(() => (ThreadPriority?)thread.Priority);
    }

    /// <summary>The thread's name, or null if it has none.</summary>
    public string? Name { get; }

    /// <summary>The runtime's id for the thread.</summary>
    public int ManagedThreadId { get; }

    /// <summary>The runtime's state flags.</summary>
    public ThreadState State { get; }

    /// <summary>True once started and until it ends.</summary>
    public bool IsAlive { get; }

    /// <summary>True for a background thread (Python: daemon); null when the thread has ended and cannot say.</summary>
    public bool? IsBackground { get; }

    /// <summary>True for a thread-pool thread; null when the thread has ended and cannot say.</summary>
    public bool? IsThreadPoolThread { get; }

    /// <summary>The scheduling priority; null when the thread has ended and cannot say.</summary>
    public ThreadPriority? Priority { get; }

    /// <summary>True when the summary was taken on the thread it describes.</summary>
    public bool IsCallingThread { get; }

    /// <summary>Summarises <paramref name="thread"/>.</summary>
    public static ThreadSummary Of(Thread thread)
    {
        ArgumentNullException.ThrowIfNull(thread);
        return new ThreadSummary(thread);
    }

    private static T? Try<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (ThreadStateException)
        {
            return default;
        }
    }

    private static string? YesNo(bool? value) => value switch { true => "yes", false => "no", null => null };

    private Table AsTable()
    {
        const string ended = "n/a (thread ended)";
        var title = $"Thread {(Name is null ? "(unnamed)" : $"\"{Name}\"")} #{ManagedThreadId}" +
                    (IsCallingThread ? " (the calling thread)" : "");
        return new Table("name", "managed id", "state", "background", "alive", "pool thread", "priority") { Caption = title }
            .AddRow(
                Name ?? "(unnamed)",
                ManagedThreadId.ToString(CultureInfo.InvariantCulture),
                State.ToString(),
                YesNo(IsBackground) ?? ended,
                IsAlive ? "yes" : "no",
                YesNo(IsThreadPoolThread) ?? ended,
                Priority?.ToString() ?? ended);
    }

    /// <inheritdoc />
    public string ToHtml() => AsTable().ToHtml();

    /// <inheritdoc />
    public string ToText() => AsTable().ToText();

    /// <inheritdoc />
    public override string ToString() => ToText();
}
