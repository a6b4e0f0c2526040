using Threadbook.Processes.Wire;

namespace Threadbook.Worker;

/// <summary>
/// The worker host: <c>dotnet Threadbook.Worker.dll --parent &lt;pid&gt; --connect &lt;address&gt;</c>, with the connection
/// token in <c>THREADBOOK_WORKER_TOKEN</c>. It connects back to its parent, runs the functions the parent sends, and
/// exits when told to, when the parent closes the connection, or when the parent dies. With <c>--serve-one</c> first it is
/// a forking server's child instead (<see cref="ServeOneClientMode"/>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is [Servers.ForkedChildProgram.ModeSwitch, ..])
        {
            return ServeOneClientMode.Run(args); // a forking server's child: serves one client, nothing else
        }

        if (!WorkerOptions.TryParse(args, out var options, out var problem))
        {
            Console.Error.WriteLine($"Threadbook.Worker: {problem}");
            Console.Error.WriteLine("usage: dotnet Threadbook.Worker.dll --parent <pid> --connect <address>  (token in THREADBOOK_WORKER_TOKEN)");
            return WorkerMessages.ExitBadStart;
        }

        return new TaskLoop(options).Run();
    }
}
