using Threadbook.Servers;

namespace Threadbook.Benchmarks;

/// <summary>
/// The benchmarks' request handler: sends back whatever arrives, chunk by chunk, until the client closes. The same
/// shape as the CPython side's <c>BaseRequestHandler.handle</c> (<c>recv(1024)</c>, <c>sendall</c>). Public with a
/// parameterless constructor, so a forking server's child process can create it.
/// </summary>
public sealed class EchoHandler : TcpRequestHandler
{
    /// <inheritdoc />
    public override void Handle()
    {
        var buffer = new byte[1024];
        int read;
        while ((read = Request.Read(buffer)) > 0)
        {
            Request.Write(buffer, 0, read);
        }
    }
}
