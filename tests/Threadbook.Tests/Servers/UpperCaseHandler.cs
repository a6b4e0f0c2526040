using Threadbook.Servers;

namespace Threadbook.Tests.Servers;

/// <summary>The workbook's example handler: answers each line upper-cased; "boom" makes it throw.</summary>
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

            WriteLine(line.ToUpperInvariant());
        }
    }
}
