namespace Threadbook.Processes.Wire;

/// <summary>Writes and reads the messages between a parent and a worker (frames of <see cref="FrameWriter"/>).</summary>
internal static class WorkerMessages
{
    /// <summary>Exit codes of the worker program.</summary>
    public const int ExitOk = 0;
    public const int ExitFunctionFailed = 1;
    public const int ExitBadStart = 2;
    public const int ExitParentGone = 3;

    /// <summary>
    /// A task that has run this long is long: its pool sends nothing more behind it and takes back, for an idle worker,
    /// what it sent before it knew (<see cref="MessageKind.Revoke"/>); its worker starts reading while it runs, to answer.
    /// </summary>
    public static readonly TimeSpan LongTask = TimeSpan.FromMilliseconds(10);

    public static void WriteDefine(FrameWriter writer, WorkerFunction function)
    {
        writer.Begin(MessageKind.Define).Int32(function.Id).String(function.AssemblyPath).String(function.TypeName).String(function.MethodName)
            .Int32(function.ParameterTypes.Count);
        foreach (var parameterType in function.ParameterTypes)
        {
            writer.String(parameterType);
        }

        writer.End();
    }

    public static FunctionDefinition ReadDefine(ref FrameReader reader)
    {
        var id = reader.Int32();
        var assemblyPath = reader.String()!;
        var typeName = reader.String()!;
        var methodName = reader.String()!;
        var parameterTypes = new string[reader.Int32()];
        for (var i = 0; i < parameterTypes.Length; i++)
        {
            parameterTypes[i] = reader.String()!;
        }

        return new FunctionDefinition(id, assemblyPath, typeName, methodName, parameterTypes);
    }

    /// <summary>
    /// A task: run <paramref name="function"/> once with the arguments array <paramref name="argumentsJson"/>, or, for a
    /// <paramref name="chunk"/> (Python's <c>chunksize</c>), once per arguments array of the JSON array of them, answering
    /// with the JSON array of the results; the first exception fails the whole chunk.
    /// </summary>
    public static void WriteRun(FrameWriter writer, long taskId, WorkerFunction function, byte[] argumentsJson, bool exitAfter, bool chunk = false) =>
        writer.Begin(MessageKind.Run).Int64(taskId).Int32(function.Id).Bool(exitAfter).Bool(chunk).Bytes(argumentsJson).End();

    public static void WriteExit(FrameWriter writer) => writer.Begin(MessageKind.Exit).End();

    public static void WriteReady(FrameWriter writer) => writer.Begin(MessageKind.Ready).End();

    public static void WriteRevoke(FrameWriter writer) => writer.Begin(MessageKind.Revoke).End();

    public static void WriteReturned(FrameWriter writer, IReadOnlyList<long> taskIds)
    {
        writer.Begin(MessageKind.Returned).Int32(taskIds.Count);
        foreach (var id in taskIds)
        {
            writer.Int64(id);
        }

        writer.End();
    }

    public static long[] ReadReturned(ref FrameReader reader)
    {
        var ids = new long[reader.Int32()];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = reader.Int64();
        }

        return ids;
    }

    public static void WriteStarted(FrameWriter writer, long taskId, long timestamp) =>
        writer.Begin(MessageKind.Started).Int64(taskId).Int64(timestamp).End();

    public static void WriteSucceeded(FrameWriter writer, long taskId, long timestamp, ReadOnlySpan<byte> resultJson) =>
        writer.Begin(MessageKind.Succeeded).Int64(taskId).Int64(timestamp).Bytes(resultJson).End();

    public static void WriteFailed(FrameWriter writer, long taskId, long timestamp, Exception error)
    {
        writer.Begin(MessageKind.Failed).Int64(taskId).Int64(timestamp)
            .String(error.GetType().FullName ?? error.GetType().Name).String(error.Message).String(StackOf(error)).End();
    }

    /// <summary>A failure as the parent throws it.</summary>
    public static RemoteException ReadFailure(ref FrameReader reader, int processId, string call)
    {
        var type = reader.String() ?? "Exception";
        var message = reader.String() ?? "";
        var stack = reader.String() ?? "";
        return new RemoteException(type, message, stack, processId, call);
    }

    private static string StackOf(Exception error)
    {
        var stack = error.StackTrace ?? "";
        for (var inner = error.InnerException; inner is not null; inner = inner.InnerException)
        {
            stack += $"{Environment.NewLine} ---> {inner.GetType().FullName}: {inner.Message}{Environment.NewLine}{inner.StackTrace}";
        }

        return stack;
    }
}
