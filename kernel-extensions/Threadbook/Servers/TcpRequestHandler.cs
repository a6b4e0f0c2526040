using System.Net;
using System.Net.Sockets;

namespace Threadbook.Servers;

/// <summary>
/// The code that serves one client connection, like Python's <c>socketserver.BaseRequestHandler</c>: the server
/// creates one handler per connection, sets <see cref="Request"/>, <see cref="ClientAddress"/> and
/// <see cref="Server"/>, then calls <see cref="Setup"/>, <see cref="Handle"/> and <see cref="Finish"/> (the last
/// even when <see cref="Handle"/> throws). Override <see cref="Handle"/>.
/// </summary>
public abstract class TcpRequestHandler
{
    /// <summary>The connection's stream (Python: <c>self.request</c>, which is the socket itself).</summary>
    public NetworkStream Request { get; internal set; } = null!;

    /// <summary>The connected socket, for what the stream does not offer.</summary>
    public Socket Socket { get; internal set; } = null!;

    /// <summary>The client's address and port (Python: <c>self.client_address</c>).</summary>
    public IPEndPoint ClientAddress { get; internal set; } = null!;

    /// <summary>The server that accepted the connection (Python: <c>self.server</c>); null in a forked child.</summary>
    public ITcpServer? Server { get; internal set; }

    /// <summary>Runs before <see cref="Handle"/>; does nothing unless overridden.</summary>
    public virtual void Setup()
    {
    }

    /// <summary>Serves the client: read requests from <see cref="Request"/> and write replies to it.</summary>
    public abstract void Handle();

    /// <summary>Runs after <see cref="Handle"/>, also when it threw; does nothing unless overridden.</summary>
    public virtual void Finish()
    {
    }

    /// <summary>Reads one line (up to '\n', without it) from the client, or null when the client closed the connection.</summary>
    public string? ReadLine(int maxLength = 64 * 1024)
    {
        var bytes = new List<byte>();
        while (bytes.Count < maxLength)
        {
            var value = Request.ReadByte();
            if (value < 0)
            {
                return bytes.Count == 0 ? null : System.Text.Encoding.UTF8.GetString(bytes.ToArray());
            }

            if (value == '\n')
            {
                return System.Text.Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
            }

            bytes.Add((byte)value);
        }

        throw new InvalidDataException($"The client sent a line longer than {maxLength} bytes.");
    }

    /// <summary>Writes <paramref name="line"/> and a '\n' to the client.</summary>
    public void WriteLine(string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        Request.Write(bytes, 0, bytes.Length);
    }
}
