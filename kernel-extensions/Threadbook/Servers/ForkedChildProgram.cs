using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using Threadbook.Processes.Wire;

namespace Threadbook.Servers;

/// <summary>
/// What a <see cref="ForkingTcpServer"/>'s child process runs (the server's handle on it is a <see cref="ForkedChild"/>):
/// the part of Python's <c>ForkingMixIn.process_request</c> that happens after <c>os.fork()</c>, in the child. The server
/// starts it ahead of demand as <c>dotnet Threadbook.Worker.dll --serve-one ...</c>, a worker mode that does only this (no
/// connection to the parent's worker endpoint, no serializer warm-up), so a spare (a child waiting for a client) costs
/// little more than a bare .NET start. The spare loads the handler's assembly and makes its handler, says its token on
/// the server's hand-off socket, and waits; the server hands it one accepted client socket, it serves that client,
/// reports how that went on the same socket, and exits.
/// </summary>
internal static class ForkedChildProgram
{
    /// <summary>The worker's command-line switch for this mode.</summary>
    public const string ModeSwitch = "--serve-one";

    /// <summary>The environment variable that hands a spare its token (not its command line: others can read that).</summary>
    public const string TokenVariable = "THREADBOOK_SPARE_TOKEN";

    /// <summary>The bytes of a spare's token, which it sends first so the server knows which spare connected.</summary>
    public const int TokenLength = 32;

    /// <summary>After the token: the spare made its handler and waits for a client.</summary>
    public const byte Ready = (byte)'R';

    /// <summary>After the token: the spare could not make its handler; a Failed frame follows.</summary>
    public const byte CannotServe = (byte)'F';

    /// <summary>
    /// How the worker process loads the handler's assembly (set by the worker host, which resolves the assembly's own
    /// dependencies from its folder); null outside a worker, where the default load context is used.
    /// </summary>
    public static Func<string, Assembly>? LoadAssembly { get; set; }

    /// <summary>The worker's arguments for a spare of the server at <paramref name="handoffAddress"/>.</summary>
    public static string[] Arguments(int parentPid, string handoffAddress, string handlerAssembly, string handlerType) =>
        [ModeSwitch, "--parent", parentPid.ToString(System.Globalization.CultureInfo.InvariantCulture), "--handoff", handoffAddress,
            "--assembly", handlerAssembly, "--type", handlerType];

    /// <summary>
    /// Serves one client in this (child) process: makes a <paramref name="handlerType"/> from
    /// <paramref name="handlerAssembly"/>, connects to the server's hand-off socket at <paramref name="handoffAddress"/>,
    /// says <paramref name="token"/> and whether it is ready, waits for a client socket, runs the handler on it, and
    /// sends back a Succeeded or Failed frame. Returns the process's exit code.
    /// </summary>
    public static int ServeOneClient(string handoffAddress, string token, string handlerAssembly, string handlerType)
    {
        TcpRequestHandler? handler = null;
        Exception? notMade = null;
        try
        {
            handler = CreateHandler(handlerAssembly, handlerType);
        }
        catch (Exception e)
        {
            notMade = e;
        }

        using var channel = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            channel.Connect(ParentEndpoint.EndPointOf(handoffAddress));
            var hello = new byte[TokenLength + 1];
            Encoding.ASCII.GetBytes(token, hello);
            hello[TokenLength] = notMade is null ? Ready : CannotServe;
            channel.Send(hello);
        }
        catch (SocketException e)
        {
            Console.Error.WriteLine($"Threadbook.Worker: the forking server's hand-off socket {handoffAddress} is gone: {e.Message}");
            return WorkerMessages.ExitBadStart;
        }

        var outcome = new FrameWriter();
        if (notMade is not null)
        {
            WorkerMessages.WriteFailed(outcome, 0, Stopwatch.GetTimestamp(), notMade);
            return Report(channel, outcome, WorkerMessages.ExitFunctionFailed);
        }

        if (SocketHandoff.Receive(channel) is not { } received)
        {
            return WorkerMessages.ExitOk; // the server closed: this spare was never needed
        }

        var (client, payload) = received;
        var address = IPEndPoint.Parse(Encoding.UTF8.GetString(payload));
        try
        {
            HandlerRun.Serve(handler!, client, address, server: null, serverClosing: static () => false);
            WorkerMessages.WriteSucceeded(outcome, 0, Stopwatch.GetTimestamp(), []);
            return Report(channel, outcome, WorkerMessages.ExitOk);
        }
        catch (Exception e)
        {
            WorkerMessages.WriteFailed(outcome, 0, Stopwatch.GetTimestamp(), e);
            return Report(channel, outcome, WorkerMessages.ExitFunctionFailed);
        }
    }

    private static int Report(Socket channel, FrameWriter outcome, int exitCode)
    {
        try
        {
            var bytes = outcome.Written;
            while (!bytes.IsEmpty)
            {
                bytes = bytes[channel.Send(bytes)..];
            }
        }
        catch (SocketException)
        {
            // the server is gone: nobody is left to tell
        }

        return exitCode;
    }

    private static TcpRequestHandler CreateHandler(string assemblyPath, string typeName)
    {
        var assembly = (LoadAssembly ?? System.Runtime.Loader.AssemblyLoadContext.Default.LoadFromAssemblyPath)(assemblyPath);
        var type = assembly.GetType(typeName, throwOnError: false)
            ?? throw new TypeLoadException($"The handler type '{typeName}' is not in {Path.GetFileName(assemblyPath)}.");
        object? handler;
        try
        {
            handler = Activator.CreateInstance(type);
        }
        catch (TargetInvocationException e) when (e.InnerException is { } thrown)
        {
            ExceptionDispatchInfo.Throw(thrown); // what the constructor threw, not the reflection wrapper
            throw;
        }

        return handler as TcpRequestHandler
            ?? throw new InvalidCastException($"{typeName} is not a {nameof(TcpRequestHandler)} in the child process.");
    }
}
