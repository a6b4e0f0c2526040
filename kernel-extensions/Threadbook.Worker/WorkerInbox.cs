using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.CompilerServices;
using Threadbook.Processes;
using Threadbook.Processes.Wire;

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
internal sealed class WorkerInbox
{
    private const int PollMicroseconds = 50_000;
    private const int IdleTicksBeforeStopping = 10;
    private readonly FrameConnection _connection;
    private readonly object _gate = new();
    private readonly Queue<InboxItem> _queued = new();
    private readonly FrameWriter _answers = new();
    private readonly Timer _longTaskTimer;
    private bool _inTask;
    private long _taskStartedAt;
    private bool _timerTicking;
    private int _idleTicks;
    private bool _watching;
    private bool _ended;

    public WorkerInbox(FrameConnection connection)
    {
        _connection = connection;
        using (ExecutionContext.SuppressFlow())
        {
            // Fired once now, with no task running, so the timer thread and a pool thread exist before the first task:
            // a warm worker's first task must not pay for starting them (measured: a new pool's first result took
            // 5.5 ms instead of 2.9).
            _longTaskTimer = new Timer(static state => ((WorkerInbox)state!).ReadDuringLongTask(), this, 0, Timeout.Infinite);
        }
    }

    /// <summary>Compiles the per-task path ahead, so a warm worker's first task does not wait for the JIT.</summary>
    public static void WarmUp()
    {
        foreach (var name in new[] { nameof(TaskStarting), nameof(TaskEnded), nameof(Parse), "get_" + nameof(IsEmpty) })
        {
            var method = typeof(WorkerInbox).GetMethod(name, BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)!;
            RuntimeHelpers.PrepareMethod(method.MethodHandle);
        }
    }

    /// <summary>True when nothing the parent sent is waiting: results can go back now.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _queued.Count == 0 && !_connection.HasBufferedFrame;
            }
        }
    }

    /// <summary>The next message, waiting for it (a <see cref="MessageKind.Revoke"/> comes already answered); null once the connection ended. Called by the main thread between tasks.</summary>
    public InboxItem? Next()
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
        if (!_connection.ReadFrame(out var payload))
        {
            return null;
        }

        var item = Parse(payload);
        if (item.Kind == MessageKind.Revoke)
        {
            lock (_gate)
            {
                AnswerRevokeLocked();
            }
        }

        // A revoke is returned too, answered: the caller reports the results it holds before it waits again (a revoke
        // swallowed here left the last result unsent while this thread waited for more work: the pool waited forever).
        return item;
    }

    /// <summary>The main thread is about to run a task: if it is still running after <see cref="WorkerMessages.LongTask"/>, another thread reads for it.</summary>
    public void TaskStarting()
    {
        // The timer ticks while the worker is busy, and stops itself after a while without tasks: per task, only a
        // timestamp (starting and stopping the timer for every batch woke the timer thread each time).
        lock (_gate)
        {
            _inTask = true;
            _idleTicks = 0;
            _taskStartedAt = Stopwatch.GetTimestamp();
            if (!_timerTicking)
            {
                _timerTicking = true;
                _longTaskTimer.Change(WorkerMessages.LongTask, WorkerMessages.LongTask);
            }
        }
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
            if (!_inTask && _timerTicking && ++_idleTicks >= IdleTicksBeforeStopping)
            {
                _timerTicking = false;
                _idleTicks = 0;
                _longTaskTimer.Change(Timeout.Infinite, Timeout.Infinite);
            }

            if (!_inTask || _watching || _ended || Stopwatch.GetElapsedTime(_taskStartedAt) < WorkerMessages.LongTask)
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
                    readable = _connection.Socket.Poll(PollMicroseconds, SelectMode.SelectRead);
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
        while (_connection.TryReadFrameNow(out var payload, out ended))
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
            _connection.Send(_answers);
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
                var chunk = message.Bool();
                return new InboxItem(MessageKind.Run, Run: new RunRequest(taskId, functionId, exitAfter, chunk, message.Bytes().ToArray()));
            default:
                return new InboxItem(message.Kind);
        }
    }
}
