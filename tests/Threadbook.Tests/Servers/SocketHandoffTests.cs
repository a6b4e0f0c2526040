using System.Net;
using System.Net.Sockets;
using System.Text;
using Threadbook.Servers;

namespace Threadbook.Tests.Servers;

public class SocketHandoffTests
{
    [Fact]
    public void an_accepted_connection_travels_over_a_unix_socket_and_still_talks_to_its_client()
    {
        var path = Path.Combine(Path.GetTempPath(), $"tb-handoff-{Guid.NewGuid():N}.sock");
        try
        {
            using var unixListener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            unixListener.Bind(new UnixDomainSocketEndPoint(path));
            unixListener.Listen(1);
            using var sender = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            sender.Connect(new UnixDomainSocketEndPoint(path));
            using var receiver = unixListener.Accept();

            var tcp = new TcpListener(IPAddress.Loopback, 0);
            tcp.Start();
            using var client = new TcpClient();
            client.Connect((IPEndPoint)tcp.LocalEndpoint);
            using (var accepted = tcp.AcceptSocket())
            {
                SocketHandoff.Send(sender, accepted, Encoding.UTF8.GetBytes("client 1"));
            }

            tcp.Stop();
            var (handedOver, payload) = SocketHandoff.Receive(receiver)!.Value;
            using (handedOver)
            {
                Encoding.UTF8.GetString(payload).Should().Be("client 1");
                handedOver.Send(Encoding.UTF8.GetBytes("hello from the new owner\n"));
            }

            using var reader = new StreamReader(client.GetStream());
            client.ReceiveTimeout = 10_000;
            reader.ReadLine().Should().Be("hello from the new owner");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
