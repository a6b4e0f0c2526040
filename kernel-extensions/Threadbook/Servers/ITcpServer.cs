using System.Net;

namespace Threadbook.Servers;

/// <summary>What a request handler may ask of the server that runs it.</summary>
public interface ITcpServer
{
    /// <summary>The address the server listens on (with the real port when it was given port 0).</summary>
    IPEndPoint ServerAddress { get; }

    /// <summary>Connections accepted so far.</summary>
    long ConnectionsAccepted { get; }
}
