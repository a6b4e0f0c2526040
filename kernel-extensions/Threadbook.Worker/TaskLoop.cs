using System.Diagnostics;
using System.Reflection;
using Threadbook.Processes.Wire;

namespace Threadbook.Worker;

/// <summary>
/// The worker's task loop: connects back to the parent, then reads what the parent sends and runs each function as its message
/// comes, in order, on the main thread (one thread reads and runs: no hand-off between threads per task). Before a
/// function runs, the worker tells the parent it started (so a task the parent never heard start never ran); its result
/// or exception goes back with the next start, or alone when nothing else is waiting, so a busy worker sends one message
/// per task. While a short task runs nobody reads; once a task runs long, <see cref="WorkerInbox"/> reads for it, so
/// the parent can take back the tasks queued behind it. A parent that dies is noticed at once by
/// <see cref="ParentWatch"/>; pools and children kill a worker they are done with.
/// </summary>
internal sealed class TaskLoop(WorkerOptions options)
{
    private readonly FunctionLoader _functions = new();
    private readonly FrameWriter _outgoing = new();
    private FrameConnection? _connection;
    private WorkerInbox? _inbox;

    public int Run()
    {
        ParentWatch.Start(options.ParentPid);
        // Ready means warm: a pre-started worker runs its first task without compiling the serializer first.
        ProcessJson.WarmUp();
        FunctionLoader.WarmUp();
        WorkerInbox.WarmUp();
        try
        {
            _connection = FrameConnection.Connect(options.Address, ConnectionRole.Worker, options.Token);
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"Threadbook.Worker: cannot connect to the parent (process {options.ParentPid}) at {options.Address}: {e.Message}");
            return WorkerMessages.ExitBadStart;
        }

        try
        {
            return Execute(_connection);
        }
        catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
        {
            // a send failed: the parent closed the connection, as below
        }

        // The parent closed the connection (it is done with this worker, or it died): a worker never outlives that.
        Environment.Exit(WorkerMessages.ExitOk);
        return WorkerMessages.ExitOk;
    }

    private int Execute(FrameConnection connection)
    {
        _inbox = new WorkerInbox(connection);
        while (_inbox.Next() is { } message)
        {
            switch (message.Kind)
            {
                case MessageKind.Define:
                    Define(message.Definition!);
                    break;
                case MessageKind.Run:
                    var request = message.Run!;
                    var succeeded = RunOne(request);
                    if (request.ExitAfter)
                    {
                        connection.Send(_outgoing);
                        return succeeded ? WorkerMessages.ExitOk : WorkerMessages.ExitFunctionFailed;
                    }

                    break;
                case MessageKind.Exit:
                    connection.Send(_outgoing);
                    return WorkerMessages.ExitOk;
                case MessageKind.Ready:
                    WorkerMessages.WriteReady(_outgoing); // the definitions before it are loaded: sent just below
                    break;
            }

            if (!_outgoing.IsEmpty && _inbox.IsEmpty)
            {
                connection.Send(_outgoing); // nothing more to run now: report at once
            }
        }

        Environment.Exit(WorkerMessages.ExitOk);
        return WorkerMessages.ExitOk;
    }

    /// <summary>Keeps the definition and loads the function now: a warm worker is told the recently used ones while it waits, so its first task does not pay for the load.</summary>
    private void Define(FunctionDefinition definition)
    {
        _functions.Define(definition);
        try
        {
            _functions.Get(definition.Id);
        }
        catch (Exception)
        {
            // not cached: the task that needs it reports why it cannot load
        }
    }

    private bool RunOne(RunRequest request)
    {
        LoadedFunction function;
        object?[][] calls;
        try
        {
            function = _functions.Get(request.FunctionId);
            calls = request.Chunk
                ? SplitChunk(request.ArgumentsJson).Select(json => ProcessJson.DeserializeArguments(json, function.Parameters)).ToArray()
                : [ProcessJson.DeserializeArguments(request.ArgumentsJson, function.Parameters)];
        }
        catch (Exception e)
        {
            WorkerMessages.WriteFailed(_outgoing, request.TaskId, Stopwatch.GetTimestamp(), e);
            return false;
        }

        WorkerMessages.WriteStarted(_outgoing, request.TaskId, Stopwatch.GetTimestamp());
        _connection!.Send(_outgoing); // before the user's code runs: see the class summary
        _inbox!.TaskStarting();
        try
        {
            object? value;
            if (request.Chunk)
            {
                var values = new List<object?>(calls.Length);
                foreach (var arguments in calls)
                {
                    values.Add(Call(function, arguments));
                }

                value = values;
            }
            else
            {
                value = Call(function, calls[0]);
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
        finally
        {
            _inbox.TaskEnded();
        }
    }

    private static object? Call(LoadedFunction function, object?[] arguments)
    {
        var value = function.Method.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null);
        if (value is Task task)
        {
            task.GetAwaiter().GetResult();
            value = function.Method.ReturnType.IsGenericType ? function.Method.ReturnType.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
        }

        return value;
    }

    /// <summary>The argument arrays of a chunk, each as its own JSON.</summary>
    private static List<byte[]> SplitChunk(byte[] json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(call => System.Text.Encoding.UTF8.GetBytes(call.GetRawText())).ToList();
    }
}
