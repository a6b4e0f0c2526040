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
    private readonly byte[] _readAhead = new byte[8 * 1024];
    private int _readStart;
    private int _readEnd;

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

    /// <summary>
    /// Reads one line (up to '\n', without it, and without a '\r' before it) from the client, or null when the client
    /// closed the connection. It reads ahead in blocks (one system call per block, not per byte): after using it, read
    /// raw bytes with <see cref="Read"/>, which hands out what was read ahead first, rather than from <see cref="Request"/>.
    /// </summary>
    /// <exception cref="InvalidDataException">The client sent more than <paramref name="maxLength"/> bytes without a line break.</exception>
    public string? ReadLine(int maxLength = 64 * 1024)
    {
        var line = new List<byte>();
        while (true)
        {
            if (_readStart == _readEnd && !FillReadAhead())
            {
                return line.Count == 0 ? null : Decode(line);
            }

            var available = _readAhead.AsSpan(_readStart, _readEnd - _readStart);
            var newline = available.IndexOf((byte)'\n');
            var take = newline >= 0 ? available[..newline] : available;
            if (line.Count + take.Length > maxLength)
            {
                throw new InvalidDataException($"The client sent a line longer than {maxLength} bytes.");
            }

            line.AddRange(take);
            _readStart += take.Length;
            if (newline >= 0)
            {
                _readStart++; // the '\n'
                return Decode(line);
            }
        }
    }

    /// <summary>Reads up to <paramref name="buffer"/>'s length of raw bytes: first any that <see cref="ReadLine"/> read ahead, else from the client. 0 when the client closed the connection.</summary>
    public int Read(Span<byte> buffer)
    {
        if (_readStart == _readEnd)
        {
            return Request.Read(buffer);
        }

        var count = Math.Min(buffer.Length, _readEnd - _readStart);
        _readAhead.AsSpan(_readStart, count).CopyTo(buffer);
        _readStart += count;
        return count;
    }

    /// <summary>Writes <paramref name="line"/> and a '\n' to the client.</summary>
    public void WriteLine(string line)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(line + "\n");
        Request.Write(bytes, 0, bytes.Length);
    }

    private static string Decode(List<byte> line) =>
        System.Text.Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(line)).TrimEnd('\r');

    private bool FillReadAhead()
    {
        _readStart = 0;
        _readEnd = Request.Read(_readAhead, 0, _readAhead.Length);
        return _readEnd > 0;
    }
}
