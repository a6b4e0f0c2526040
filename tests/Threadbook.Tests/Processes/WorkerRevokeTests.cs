using Threadbook.Processes;
using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;

namespace Threadbook.Tests.Processes;

/// <summary>
/// A worker process spoken to as its pool speaks to it: <see cref="MessageKind.Revoke"/> takes back the tasks it was
/// sent and has not started, while a long task runs or between tasks, without holding back any result.
/// </summary>
public sealed class WorkerRevokeTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string _release = Path.Combine(Path.GetTempPath(), $"threadbook-revoke-{Guid.NewGuid():N}");
    private readonly WorkerProcess _worker = WorkerProcess.Launch();
    private readonly FrameConnection _connection;

    public WorkerRevokeTests() => _connection = _worker.WaitConnected(Patience);

    public void Dispose()
    {
        _worker.Kill();
        _worker.WaitForExit(TimeSpan.FromSeconds(10));
        _connection.Dispose();
        File.Delete(_release);
    }

    [Fact]
    public void a_revoke_during_a_long_task_gives_back_the_tasks_behind_it_and_they_never_run()
    {
        var waitForFile = WorkerFunction.From(Jobs.WaitForFile);
        var plus = WorkerFunction.From(Jobs.Plus);
        var writer = new FrameWriter();
        WorkerMessages.WriteDefine(writer, waitForFile);
        WorkerMessages.WriteDefine(writer, plus);
        WorkerMessages.WriteRun(writer, 1, waitForFile, ProcessJson.SerializeArguments([_release]), exitAfter: false);
        WorkerMessages.WriteRun(writer, 2, plus, ProcessJson.SerializeArguments([2]), exitAfter: false);
        WorkerMessages.WriteRun(writer, 3, plus, ProcessJson.SerializeArguments([3]), exitAfter: false);
        _connection.Send(writer);
        ReadUntil(MessageKind.Started).Should().Be(1);

        Thread.Sleep(WorkerMessages.LongTask * 3); // task 1 is long now
        WorkerMessages.WriteRevoke(writer);
        _connection.Send(writer);
        var returned = ReadUntil(MessageKind.Returned, out var seen);
        seen.Should().NotContain(m => m.Kind == MessageKind.Succeeded, "the long task is still running");
        returned.Should().Equal([2L, 3L], "the tasks behind the long one come back, in order");

        File.WriteAllText(_release, "");
        ReadUntil(MessageKind.Succeeded).Should().Be(1);
        WorkerMessages.WriteExit(writer);
        _connection.Send(writer);
        ReadToEnd().Should().NotContain(m => m.Kind == MessageKind.Started, "a task given back never runs in this worker");
        _worker.WaitForExit(Patience).Should().BeTrue();
        _worker.ExitCode.Should().Be(WorkerMessages.ExitOk);
    }

    [Fact]
    public void a_revoke_read_between_tasks_is_answered_and_the_result_before_it_still_goes_back()
    {
        var plus = WorkerFunction.From(Jobs.Plus);
        var writer = new FrameWriter();
        WorkerMessages.WriteDefine(writer, plus);
        WorkerMessages.WriteRun(writer, 7, plus, ProcessJson.SerializeArguments([7]), exitAfter: false);
        WorkerMessages.WriteRevoke(writer);
        _connection.Send(writer); // one write: the revoke is already waiting when the task ends

        var messages = ReadUntilBoth(MessageKind.Succeeded, MessageKind.Returned);
        messages.Single(m => m.Kind == MessageKind.Succeeded).TaskIds.Should().Equal([7L]);
        messages.Single(m => m.Kind == MessageKind.Returned).TaskIds.Should().BeEmpty("the only task had run already");
    }

    private long ReadUntil(MessageKind kind) => ReadUntil(kind, out _) is [var id, ..] ? id : -1;

    /// <summary>Reads the worker's messages until one of <paramref name="kind"/>; its task ids (one for a task message, the list for Returned).</summary>
    private long[] ReadUntil(MessageKind kind, out List<Message> seen)
    {
        var found = ReadUntilBoth(kind, kind);
        seen = found;
        return found[^1].TaskIds;
    }

    private List<Message> ReadUntilBoth(MessageKind first, MessageKind second)
    {
        var messages = new List<Message>();
        var reading = Task.Run(() =>
        {
            while (!(messages.Any(m => m.Kind == first) && messages.Any(m => m.Kind == second)) && Read() is { } message)
            {
                messages.Add(message);
            }
        });
        if (!reading.Wait(Patience))
        {
            _worker.Kill(); // ends the read
            reading.Wait(Patience);
            throw new Xunit.Sdk.XunitException($"The worker never sent {first} and {second}; it sent: {string.Join(", ", messages.Select(m => m.Kind))}.");
        }

        return messages;
    }

    private List<Message> ReadToEnd()
    {
        var messages = new List<Message>();
        var reading = Task.Run(() =>
        {
            while (Read() is { } message)
            {
                messages.Add(message);
            }
        });
        reading.Wait(Patience).Should().BeTrue("the worker exits when told to");
        return messages;
    }

    private Message? Read()
    {
        if (!_connection.ReadFrame(out var payload))
        {
            return null;
        }

        var reader = new FrameReader(payload);
        return reader.Kind switch
        {
            MessageKind.Started or MessageKind.Succeeded or MessageKind.Failed => new Message(reader.Kind, [reader.Int64()]),
            MessageKind.Returned => new Message(reader.Kind, WorkerMessages.ReadReturned(ref reader)),
            var other => new Message(other, []),
        };
    }

    private sealed record Message(MessageKind Kind, long[] TaskIds);
}
