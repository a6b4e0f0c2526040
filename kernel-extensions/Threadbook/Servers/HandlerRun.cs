using System.Net;
using System.Net.Sockets;

namespace Threadbook.Servers;

/// <summary>
/// Serves one connection with one handler, the same way in a client thread (<see cref="ThreadingTcpServer"/>) and in a
/// client process (<see cref="ForkingTcpServer"/>): Python's <c>finish_request</c> plus the handler's
/// <c>setup</c>/<c>handle</c>/<c>finish</c>.
/// </summary>
internal static class HandlerRun
{
    /// <summary>
    /// Runs <paramref name="handler"/> on <paramref name="client"/> and closes the connection. Returns when the handler
    /// returned or the client went away (or <paramref name="serverClosing"/> says the server closed it); throws what
    /// the handler threw otherwise.
    /// </summary>
    public static void Serve(TcpRequestHandler handler, Socket client, IPEndPoint address, ITcpServer? server, Func<bool> serverClosing)
    {
        using var stream = new NetworkStream(client, ownsSocket: true);
        handler.Request = stream;
        handler.Socket = client;
        handler.ClientAddress = address;
        handler.Server = server;
        try
        {
            handler.Setup();
            try
            {
                handler.Handle();
            }
            finally
            {
                handler.Finish();
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException && (serverClosing() || !client.Connected))
        {
            // The client went away (or the server is closing): nothing to report.
        }
    }
}
