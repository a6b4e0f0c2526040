using Threadbook.Servers;

namespace Threadbook.Tests.Servers;

/// <summary>
/// The workbook's example handler: answers each line upper-cased. "boom" makes it throw, "pid" answers the process id
/// of whoever serves the client, "thread" the name of the thread that runs the handler, and "say X" writes X to the
/// console before answering "SAID".
/// </summary>
public sealed class UpperCaseHandler : TcpRequestHandler
{
    public override void Handle()
    {
        while (ReadLine() is { } line)
        {
            if (line == "boom")
            {
                throw new InvalidOperationException("the handler was asked to fail");
            }

            if (line == "pid")
            {
                WriteLine(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            if (line == "thread")
            {
                WriteLine(Thread.CurrentThread.Name ?? "(unnamed)");
                continue;
            }

            if (line.StartsWith("say ", StringComparison.Ordinal))
            {
                Console.WriteLine(line[4..]);
                WriteLine("SAID");
                continue;
            }

            WriteLine(line.ToUpperInvariant());
        }
    }
}
