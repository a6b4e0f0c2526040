using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Threadbook.Tests.Servers;

/// <summary>A loopback client that sends lines and reads replies, with timeouts so a test cannot hang.</summary>
public sealed class LineClient : IDisposable
{
    private readonly TcpClient _client = new();
    private readonly StreamReader _reader;
    private readonly NetworkStream _stream;

    public LineClient(IPEndPoint server)
    {
        _client.Connect(server);
        _client.ReceiveTimeout = 10_000;
        _client.SendTimeout = 10_000;
        _stream = _client.GetStream();
        _reader = new StreamReader(_stream, Encoding.UTF8);
    }

    /// <summary>The port this client connects from (the server sees it as the client's port).</summary>
    public int LocalPort => ((IPEndPoint)_client.Client.LocalEndPoint!).Port;

    public string? Ask(string line)
    {
        Send(line + "\n");
        return _reader.ReadLine();
    }

    /// <summary>The server's next line, or null when it closed the connection.</summary>
    public string? ReadLine() => _reader.ReadLine();

    public void Send(string text) => _stream.Write(Encoding.UTF8.GetBytes(text));

    public void Send(byte[] bytes) => _stream.Write(bytes);

    /// <summary>True when the server closed the connection (a read returns end of stream).</summary>
    public bool ServerClosed()
    {
        try
        {
            return _reader.ReadLine() is null;
        }
        catch (IOException)
        {
            return true;
        }
    }

    public void Dispose() => _client.Dispose();
}
