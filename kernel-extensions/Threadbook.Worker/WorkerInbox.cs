using System.Net.Sockets;
using Threadbook.Processes;

namespace Threadbook.Worker;

/// <summary>
/// What the parent sends, in order, for the worker's main thread — and the parent's <see cref="MessageKind.Revoke"/>,
/// answered at once with the tasks this worker was sent and has not started, even while a long task runs.
/// </summary>
/// <remarks>
/// Between tasks the main thread reads the connection itself, so a stream of short tasks costs no hand-off between
/// threads. Once a task has run for <see cref="WorkerMessages.LongTask"/>, a timer thread reads for it until the task
/// ends: frames go to a queue the main thread empties first, and a revoke takes the tasks back out of that queue (the
/// parent gives them to an idle worker instead of letting them wait behind the long one). The reading thread touches
/// the connection's buffer only under <c>_gate</c>; the timer thread waits for data outside it, and reads only while a
/// task runs, when the main thread does not.
/// </remarks>
internal sealed class WorkerInbox(FrameConnection connection)
{
    private const int PollMicroseconds = 50_000;
    private readonly object _gate = new();
    private readonly Queue<InboxItem> _queued = new();
    private readonly FrameWriter _answers = new();
    private Timer? _longTaskTimer;
    private bool _inTask;
    private bool _watching;
    private bool _ended;

    /// <summary>True when nothing the parent sent is waiting: results can go back now.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count == 0 && !connection.HasBufferedFrame;
            }
        }
    }

    /// <summary>The next message, waiting for it; null once the connection ended. Called by the main thread between tasks.</summary>
    public InboxItem? Next()
    {
        while (true)
        {
            lock (_gate)
            {
                if (_queued.TryDequeue(out var queued))
                {
                    return queued == InboxItem.Ended ? null : queued;
                }

                if (_ended)
                {
                    return null;
                }
            }

            // No task runs, so the timer thread does not read: this thread may wait for the next frame outside the lock.
            if (!connection.ReadFrame(out var payload))
            {
                return null;
            }

            var item = Parse(payload);
            if (item.Kind != MessageKind.Revoke)
            {
                return item;
            }

            lock (_gate)
            {
                AnswerRevokeLocked();
            }
        }
    }

    /// <summary>The main thread is about to run a task: if it is still running after <see cref="WorkerMessages.LongTask"/>, another thread reads for it.</summary>
    public void TaskStarting()
    {
        lock (_gate)
        {
            _inTask = true;
        }

        if (_longTaskTimer is null)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _longTaskTimer = new Timer(static state => ((WorkerInbox)state!).ReadDuringLongTask(), this, Timeout.Infinite, Timeout.Infinite);
            }
        }

        // One timer, moved on by every task: a stream of short tasks never lets it fire.
        _longTaskTimer.Change(WorkerMessages.LongTask, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The task ended: the main thread reads again (the timer thread stops at its next look).</summary>
    public void TaskEnded()
    {
        lock (_gate)
        {
            _inTask = false;
        }
    }

    private void ReadDuringLongTask()
    {
        lock (_gate)
        {
            if (!_inTask || _watching || _ended)
            {
                return;
            }

            _watching = true;
        }

        try
        {
            while (true)
            {
                bool readable;
                try
                {
                    readable = connection.Socket.Poll(PollMicroseconds, SelectMode.SelectRead);
                }
                catch (Exception e) when (e is SocketException or ObjectDisposedException)
                {
                    readable = true; // the read below finds out that it ended
                }

                lock (_gate)
                {
                    if (!_inTask)
                    {
                        return;
                    }

                    if (readable)
                    {
                        DrainLocked();
                    }

                    if (_ended)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            lock (_gate)
            {
                _watching = false;
            }
        }
    }

    /// <summary>Takes every whole frame that has arrived: revokes are answered, the rest queued for the main thread.</summary>
    private void DrainLocked()
    {
        bool ended;
        while (connection.TryReadFrameNow(out var payload, out ended))
        {
            var item = Parse(payload);
            if (item.Kind == MessageKind.Revoke)
            {
                AnswerRevokeLocked();
            }
            else
            {
                _queued.Enqueue(item);
            }
        }

        if (ended)
        {
            _ended = true;
            _queued.Enqueue(InboxItem.Ended);
        }
    }

    private void AnswerRevokeLocked()
    {
        var returned = new List<long>();
        var kept = new List<InboxItem>();
        foreach (var item in _queued)
        {
            if (item.Run is { ExitAfter: false } run)
            {
                returned.Add(run.TaskId);
            }
            else
            {
                kept.Add(item);
            }
        }

        _queued.Clear();
        kept.ForEach(_queued.Enqueue);
        WorkerMessages.WriteReturned(_answers, returned);
        try
        {
            connection.Send(_answers);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            _answers.Clear(); // the parent is gone: the main thread finds out when it reads
        }
    }

    private static InboxItem Parse(ReadOnlySpan<byte> payload)
    {
        var message = new FrameReader(payload);
        switch (message.Kind)
        {
            case MessageKind.Define:
                return new InboxItem(MessageKind.Define, Definition: WorkerMessages.ReadDefine(ref message));
            case MessageKind.Run:
                var taskId = message.Int64();
                var functionId = message.Int32();
                var exitAfter = message.Bool();
                return new InboxItem(MessageKind.Run, Run: new RunRequest(taskId, functionId, exitAfter, message.Bytes().ToArray()));
            default:
                return new InboxItem(message.Kind);
        }
    }
}
