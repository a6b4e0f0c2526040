using System.Threading.Channels;

namespace Threadbook.Introspection;

/// <summary>
/// What .NET tells about a <see cref="Channel{TWrite, TRead}"/>, its <see cref="ChannelReader{T}"/> or its
/// <see cref="ChannelWriter{T}"/>: the runtime type (which says bounded or unbounded), the items waiting where
/// the reader can count them, and whether reading is finished (<see cref="ChannelReader{T}.Completion"/>). The
/// capacity of a bounded channel, and whether the writer completed while items are left, are not exposed.
/// </summary>
public sealed class ChannelSummary : FactSheet
{
    private const string CapacityNotExposed = NotExposed + " (the capacity given to Channel.CreateBounded is not readable back)";

    private ChannelSummary(object channelOrEnd, string role, Func<int?>? count, Func<Task?>? completion)
    {
        TypeName = Introspection.TypeName.Of(channelOrEnd.GetType());
        Role = role;
        IsWriter = count is null;
        Count = count?.Invoke();
        var finished = completion is null ? null : Probe.Reference(completion);
        CompletionStatus = finished?.Status;
        CompletionError = finished?.Status == TaskStatus.Faulted && Probe.Reference(() => finished.Exception?.InnerException) is { } error
            ? Probe.Text(error)
            : null;
    }

    /// <summary>The runtime type, such as <c>BoundedChannel&lt;int&gt;</c>: internal, but it says which kind of channel it is.</summary>
    public string TypeName { get; }

    /// <summary><c>channel</c>, <c>reader</c> or <c>writer</c>.</summary>
    public string Role { get; }

    /// <summary>True when the summary describes a writer, which exposes neither a count nor completion.</summary>
    public bool IsWriter { get; }

    /// <summary>Items waiting to be read; null when the reader cannot count them (<see cref="ChannelReader{T}.CanCount"/> is false) or for a writer.</summary>
    public int? Count { get; }

    /// <summary>
    /// The status of the reader's <see cref="ChannelReader{T}.Completion"/>: finished once the writer completed and every
    /// item was read. Null for a writer.
    /// </summary>
    public TaskStatus? CompletionStatus { get; }

    /// <summary>The error the writer completed with, when reading finished faulted.</summary>
    public string? CompletionError { get; }

    /// <summary>Summarises <paramref name="channel"/> through its reader, without reading from it.</summary>
    public static ChannelSummary Of<TWrite, TRead>(Channel<TWrite, TRead> channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return new ChannelSummary(channel, "channel", () => Counted(channel.Reader), () => channel.Reader.Completion);
    }

    /// <summary>Summarises <paramref name="reader"/> without reading from it.</summary>
    public static ChannelSummary Of<T>(ChannelReader<T> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new ChannelSummary(reader, "reader", () => Counted(reader), () => reader.Completion);
    }

    /// <summary>Summarises <paramref name="writer"/>: a writer exposes nothing but its type.</summary>
    public static ChannelSummary Of<T>(ChannelWriter<T> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return new ChannelSummary(writer, "writer", count: null, completion: null);
    }

    /// <summary>
    /// Summarises a channel, a reader or a writer whose item type is known only at run time (as a notebook
    /// formatter sees it; the runtime type is an internal subclass such as <c>BoundedChannel&lt;T&gt;</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is none of these.</exception>
    public static ChannelSummary OfObject(object value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return OpenGeneric.Call<ChannelSummary>(typeof(ChannelSummary), nameof(OfChannel), typeof(Channel<,>), value)
               ?? OpenGeneric.Call<ChannelSummary>(typeof(ChannelSummary), nameof(OfReader), typeof(ChannelReader<>), value)
               ?? OpenGeneric.Call<ChannelSummary>(typeof(ChannelSummary), nameof(OfWriter), typeof(ChannelWriter<>), value)
               ?? throw new ArgumentException($"A {value.GetType()} is not a channel, a channel reader or a channel writer.", nameof(value));
    }

    // The overloads of Of under names of their own, for OfObject to find.
    private static ChannelSummary OfChannel<TWrite, TRead>(Channel<TWrite, TRead> channel) => Of(channel);

    private static ChannelSummary OfReader<T>(ChannelReader<T> reader) => Of(reader);

    private static ChannelSummary OfWriter<T>(ChannelWriter<T> writer) => Of(writer);

    private static int? Counted<T>(ChannelReader<T> reader) =>
        Probe.Value(() => reader.CanCount) == true ? Probe.Value(() => reader.Count) : null;

    /// <inheritdoc />
    protected override string Title => $"{TypeName} ({Role})";

    /// <inheritdoc />
    protected override IEnumerable<(string Fact, string Value)> Facts() =>
        IsWriter
            ?
            [
                ("items waiting", "not exposed by a ChannelWriter (see its channel's Reader.Count)"),
                ("writer completed", NotExposed),
                ("capacity", CapacityNotExposed),
            ]
            :
            [
                ("items waiting", Count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "not exposed by this channel (Reader.CanCount is false)"),
                ("capacity", CapacityNotExposed),
                ("reading finished (Reader.Completion)", DescribeCompletion()),
                ("writer completed", $"{NotExposed} while items are left (Reader.Completion finishes after the last one is read)"),
            ];

    private string DescribeCompletion() => CompletionStatus switch
    {
        TaskStatus.RanToCompletion => "yes: the writer completed and every item was read",
        TaskStatus.Faulted => $"yes, faulted: the writer completed with {CompletionError ?? "an error"}",
        TaskStatus.Canceled => "yes, canceled",
        null => "unknown",
        _ => "no: still open, or completed for writing with items left to read",
    };
}
