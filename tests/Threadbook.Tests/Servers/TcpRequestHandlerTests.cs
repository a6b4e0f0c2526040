using System.Text;
using Threadbook.Servers;

namespace Threadbook.Tests.Servers;

public class TcpRequestHandlerTests
{
    [Fact]
    public void read_line_joins_a_line_sent_in_pieces_and_drops_the_carriage_return()
    {
        using var server = new ThreadingTcpServer(() => new UpperCaseHandler()) { DaemonThreads = true }.Start();
        using var client = new LineClient(server.ServerAddress);

        client.Send("hel");
        Thread.Sleep(50); // the first piece arrives on its own
        client.Send("lo\r\nsecond\nthird");
        client.Send("\n");

        new[] { client.ReadLine(), client.ReadLine(), client.ReadLine() }.Should().Equal("HELLO", "SECOND", "THIRD");
    }

    [Fact]
    public void raw_reads_after_read_line_get_the_bytes_it_read_ahead_first()
    {
        using var server = new ThreadingTcpServer(() => new LengthPrefixedHandler()) { DaemonThreads = true }.Start();
        using var client = new LineClient(server.ServerAddress);

        // One send: the header line, 10 raw bytes and the next line all arrive together, so ReadLine reads past the header.
        client.Send("10\n0123456789next line\n");

        client.ReadLine().Should().Be("raw: 0123456789");
    }

    /// <summary>Reads "N\n", then N raw bytes with Read, then a line; answers what it got.</summary>
    private sealed class LengthPrefixedHandler : TcpRequestHandler
    {
        public override void Handle()
        {
            var length = int.Parse(ReadLine()!);
            var raw = new byte[length];
            var got = 0;
            while (got < length)
            {
                got += Read(raw.AsSpan(got));
            }

            var next = ReadLine();
            WriteLine(next == "next line" ? $"raw: {Encoding.ASCII.GetString(raw)}" : $"wrong next line: {next}");
        }
    }
}
