using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;
using Threadbook.Processes;

namespace Threadbook.Worker;

/// <summary>
/// Runs one worker: connects back to the parent, then runs the functions it sends, in order, on the main thread, while a
/// reader thread takes in what the parent sends. Before a function runs, the worker tells the parent it started (so a
/// task the parent never heard start never ran); its result or exception goes back with the next start, or alone when
/// nothing else is waiting, so a busy worker sends one message per task.
/// </summary>
internal sealed class WorkerHost(WorkerOptions options)
{
    private readonly BlockingCollection<RunRequest> _requests = new();
    private readonly FunctionLoader _functions = new();
    private readonly FrameWriter _outgoing = new();
    private FrameConnection? _connection;

    public int Run()
    {
        ParentWatch.Start(options.ParentPid);
        // Ready means warm: a pre-started worker runs its first task without compiling the serializer first.
        ProcessJson.WarmUp();
        FunctionLoader.WarmUp();
        try
        {
            _connection = FrameConnection.Connect(options.Address, ConnectionRole.Worker, options.Token);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Threadbook.Worker: cannot connect to the parent (process {options.ParentPid}) at {options.Address}: {e.Message}");
            return WorkerMessages.ExitBadStart;
        }

        new Thread(Receive) { IsBackground = true, Name = "threadbook worker reader" }.Start();
        return Execute(_connection);
    }

    private void Receive()
    {
        while (_connection!.ReadFrame(out var payload))
        {
            var message = new FrameReader(payload);
            switch (message.Kind)
            {
                case MessageKind.Define:
                    _functions.Define(WorkerMessages.ReadDefine(ref message));
                    break;
                case MessageKind.Run:
                    var taskId = message.Int64();
                    var functionId = message.Int32();
                    var exitAfter = message.Bool();
                    _requests.Add(new RunRequest(taskId, functionId, exitAfter, message.Bytes().ToArray()));
                    break;
                case MessageKind.Exit:
                    _requests.CompleteAdding();
                    break;
            }
        }

        // The parent closed the connection (it is done with this worker, or it died): a worker never outlives that.
        Environment.Exit(WorkerMessages.ExitOk);
    }

    private int Execute(FrameConnection connection)
    {
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            var succeeded = RunOne(request);
            if (request.ExitAfter)
            {
                connection.Send(_outgoing);
                return succeeded ? WorkerMessages.ExitOk : WorkerMessages.ExitFunctionFailed;
            }

            if (_requests.Count == 0)
            {
                connection.Send(_outgoing);
            }
        }

        connection.Send(_outgoing);
        return WorkerMessages.ExitOk;
    }

    private bool RunOne(RunRequest request)
    {
        LoadedFunction function;
        object?[] arguments;
        try
        {
            function = _functions.Get(request.FunctionId);
            arguments = ProcessJson.DeserializeArguments(request.ArgumentsJson, function.Parameters);
        }
        catch (Exception e)
        {
            WorkerMessages.WriteFailed(_outgoing, request.TaskId, Stopwatch.GetTimestamp(), e);
            return false;
        }

        WorkerMessages.WriteStarted(_outgoing, request.TaskId, Stopwatch.GetTimestamp());
        _connection!.Send(_outgoing); // before the user's code runs: see the class summary
        try
        {
            var value = function.Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null);
            if (value is Task task)
            {
                task.GetAwaiter().GetResult();
                value = function.Method.ReturnType.IsGenericType ? function.Method.ReturnType.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
            }

            var json = ProcessJson.SerializeValue(value);
            WorkerMessages.WriteSucceeded(_outgoing, request.TaskId, Stopwatch.GetTimestamp(), json);
            return true;
        }
        catch (Exception e)
        {
            WorkerMessages.WriteFailed(_outgoing, request.TaskId, Stopwatch.GetTimestamp(), e);
            return false;
        }
    }
}
