using Threadbook.Processes.Wire;
using Threadbook.Processes.Workers;

namespace Threadbook.Processes.Pool;

/// <summary>
/// Decodes what one worker reports (a task started, succeeded or failed, tasks given back) and hands it on: the books
/// to <see cref="PoolDispatcher"/>, the result to <see cref="PoolResults"/>, the span to <see cref="PoolTracing"/>.
/// Runs on the worker's reader thread; a view is told once per burst of frames, not once per frame.
/// </summary>
internal sealed class PoolWorkerReader(ProcessPool pool, PoolDispatcher dispatcher, PoolResults results, PoolSupervisor supervisor)
{
    /// <summary>Reads until the connection ends.</summary>
    public void Read(PoolWorkerRecord worker, FrameConnection connection)
    {
        while (connection.ReadFrame(out var payload))
        {
            var message = new FrameReader(payload);
            switch (message.Kind)
            {
                case MessageKind.Started:
                    TaskStarted(worker, message.Int64(), message.Int64());
                    break;
                case MessageKind.Succeeded or MessageKind.Failed:
                    TaskFinished(worker, ref message, dispatch: !connection.HasBufferedFrame);
                    break;
                case MessageKind.Returned:
                    dispatcher.TasksReturned(worker, WorkerMessages.ReadReturned(ref message));
                    pool.RaiseChanged();
                    break;
            }

            if (!connection.HasBufferedFrame)
            {
                pool.RaiseChanged();
            }
        }
    }

    private void TaskStarted(PoolWorkerRecord worker, long taskId, long timestamp)
    {
        if (dispatcher.TaskStarted(worker, taskId, timestamp) is { } task)
        {
            PoolTracing.TaskBegan(worker, task, timestamp);
        }
    }

    private void TaskFinished(PoolWorkerRecord worker, ref FrameReader message, bool dispatch)
    {
        var succeeded = message.Kind == MessageKind.Succeeded;
        var taskId = message.Int64();
        var timestamp = message.Int64();
        if (dispatcher.TaskFinished(worker, taskId, timestamp, dispatch) is not { } task)
        {
            return;
        }

        PoolTracing.TaskEnded(worker, timestamp);
        if (task.IsInitializer)
        {
            supervisor.InitializerFinished(worker, succeeded ? null : RemoteExceptionRebuilder.Rebuild(WorkerMessages.ReadFailure(ref message, worker.Pid, task.Call)));
            return;
        }

        if (!succeeded)
        {
            results.Fail(task, RemoteExceptionRebuilder.Rebuild(WorkerMessages.ReadFailure(ref message, worker.Pid, task.Call)));
            return;
        }

        object? value;
        try
        {
            value = ProcessJson.DeserializeValue(message.Bytes(), task.Chunk is null ? task.Function.ResultType : ChunkType(task.Function.ResultType));
        }
        catch (Exception e)
        {
            results.Fail(task, new RemoteException(e.GetType().FullName!, $"its result could not be read as {task.Function.ResultType}: {e.Message}", "", worker.Pid, task.Call));
            return;
        }

        results.Succeed(task, value);
    }

    /// <summary>What a chunk's answer is read as: a list of the function's results (of nulls for a void function).</summary>
    private static Type ChunkType(Type resultType) =>
        typeof(List<>).MakeGenericType(resultType == typeof(void) ? typeof(object) : resultType);
}
