using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text;
using Threadbook.Processes;

namespace Threadbook.Servers;

/// <summary>
/// What a <see cref="ForkingTcpServer"/>'s child process runs: the part of Python's <c>ForkingMixIn.process_request</c>
/// that happens after <c>os.fork()</c>, in the child. The server starts it ahead of demand in a worker process, so a
/// spare is booted, has loaded the handler's assembly and made its handler, and waits; the server then hands it one
/// accepted client socket, it serves that client and returns, and the process exits. Not for calling directly.
/// </summary>
public static class ForkedClient
{
    /// <summary>The bytes of a spare's token, which it sends first so the server knows which spare connected.</summary>
    internal const int TokenLength = 32;

    /// <summary>
    /// How the worker process loads the handler's assembly (set by the worker host, which resolves the assembly's own
    /// dependencies from its folder); null outside a worker, where the default load context is used.
    /// </summary>
    internal static Func<string, Assembly>? LoadAssembly { get; set; }

    /// <summary>
    /// Serves one client in this (child) process: loads <paramref name="handlerType"/> from <paramref name="handlerAssembly"/>
    /// and makes a handler, connects to the server's hand-off socket at <paramref name="handoffAddress"/> and says
    /// <paramref name="token"/>, waits for a client socket, and runs the handler on it. Returns the client's address,
    /// or null when the server let this spare go unused. Throws what the handler threw.
    /// </summary>
    public static string? ServeOne(string handoffAddress, string token, string handlerAssembly, string handlerType)
    {
        ArgumentException.ThrowIfNullOrEmpty(handoffAddress);
        ArgumentException.ThrowIfNullOrEmpty(token);
        var handler = CreateHandler(handlerAssembly, handlerType);

        using var channel = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        channel.Connect(ParentEndpoint.EndPointOf(handoffAddress));
        channel.Send(Encoding.ASCII.GetBytes(token));
        if (SocketHandoff.Receive(channel) is not { } received)
        {
            return null; // the server closed: this spare was never needed
        }

        var (client, payload) = received;
        channel.Close();
        var address = IPEndPoint.Parse(Encoding.UTF8.GetString(payload));
        HandlerRun.Serve(handler, client, address, server: null, serverClosing: static () => false);
        return address.ToString();
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
