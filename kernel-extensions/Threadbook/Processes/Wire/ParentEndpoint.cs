using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Threadbook.Processes.Wire;

/// <summary>
/// The one listening socket of this process that its worker processes and the proxies of its shared dictionaries
/// connect to. On Linux it is an abstract Unix socket (a name, no file, so nothing is left behind even when the
/// process is killed); elsewhere a Unix socket file in a private temporary folder, deleted at exit. Every
/// connection must open with a <see cref="MessageKind.Hello"/> frame carrying a token this process handed out,
/// or it is closed.
/// </summary>
internal sealed class ParentEndpoint
{
    private static readonly Lazy<ParentEndpoint> Shared = new(() => new ParentEndpoint(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly TimeSpan HelloTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, Expected> _expected = new();
    private readonly Socket _listener;
    private readonly string? _socketFolder;

    private ParentEndpoint()
    {
        var name = $"threadbook-{Environment.ProcessId}-{RandomToken.New()[..12]}";
        if (OperatingSystem.IsLinux())
        {
            Address = "@" + name;
        }
        else
        {
            _socketFolder = Directory.CreateTempSubdirectory("threadbook-").FullName;
            Address = Path.Combine(_socketFolder, "endpoint.sock");
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteSocketFolder();
        }

        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(EndPointOf(Address));
        _listener.Listen(64);
        new Thread(AcceptLoop) { IsBackground = true, Name = "threadbook endpoint" }.UnsafeStart();
    }

    /// <summary>The endpoint of this process, started on first use.</summary>
    public static ParentEndpoint Instance => Shared.Value;

    /// <summary>Where to connect: <c>@name</c> for an abstract socket, otherwise the socket file's path.</summary>
    public string Address { get; }

    /// <summary>The socket address <paramref name="address"/> names.</summary>
    public static EndPoint EndPointOf(string address) =>
        new UnixDomainSocketEndPoint(address.StartsWith('@') ? "\0" + address[1..] : address);

    /// <summary>
    /// Hands connections that say <paramref name="token"/> to <paramref name="accepted"/> (on the endpoint's thread: keep it
    /// short). With <paramref name="once"/> the token is forgotten after its first connection.
    /// </summary>
    public void Expect(string token, ConnectionRole role, Action<FrameConnection, int> accepted, bool once)
    {
        if (!_expected.TryAdd(token, new Expected(role, accepted, once)))
        {
            throw new InvalidOperationException("The same connection token was handed out twice.");
        }
    }

    /// <summary>Stops accepting connections that say <paramref name="token"/>.</summary>
    public void Forget(string token) => _expected.TryRemove(token, out _);

    private void AcceptLoop()
    {
        while (true)
        {
            Socket socket;
            try
            {
                socket = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }

            Welcome(socket);
        }
    }

    private void Welcome(Socket socket)
    {
        var connection = new FrameConnection(socket);
        try
        {
            // A stranger that says nothing may hold up the next connection this long, no longer.
            socket.ReceiveTimeout = (int)HelloTimeout.TotalMilliseconds;
            if (connection.ReadFrame(out var payload))
            {
                var hello = new FrameReader(payload);
                if (hello.Kind == MessageKind.Hello)
                {
                    var role = (ConnectionRole)hello.Byte();
                    var token = hello.String() ?? "";
                    var pid = hello.Int32();
                    if (_expected.TryGetValue(token, out var expected) && expected.Role == role &&
                        (!expected.Once || _expected.TryRemove(token, out _)))
                    {
                        socket.ReceiveTimeout = 0;
                        expected.Accepted(connection, pid);
                        return;
                    }
                }
            }
        }
        catch (Exception)
        {
            // a malformed hello: the connection is refused below
        }

        connection.Dispose();
    }

    private void DeleteSocketFolder()
    {
        try
        {
            _listener.Dispose();
            if (_socketFolder is not null)
            {
                Directory.Delete(_socketFolder, recursive: true);
            }
        }
        catch (Exception)
        {
            // exiting anyway
        }
    }

    private sealed record Expected(ConnectionRole Role, Action<FrameConnection, int> Accepted, bool Once);
}
