using Threadbook.Processes.Wire;
using Threadbook.Servers;

namespace Threadbook.Worker;

/// <summary>
/// The worker's serve-one-client mode, for a forking server's child:
/// <c>dotnet Threadbook.Worker.dll --serve-one --parent &lt;pid&gt; --handoff &lt;address&gt; --assembly &lt;path&gt; --type &lt;name&gt;</c>,
/// token in <c>THREADBOOK_SPARE_TOKEN</c>. It runs only <see cref="ForkedChildProgram.ServeOneClient"/>: no connection to the
/// parent's worker endpoint, no serializer or function-loader warm-up (a child runs no functions), so a spare costs
/// little more than starting .NET. It ends when its client is served, or when the server closes the hand-off socket
/// (which also happens when the server's process dies), so it needs no watch on its parent.
/// </summary>
internal static class ServeOneClientMode
{
    public static int Run(string[] args)
    {
        string? handoff = null, assembly = null, type = null;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--parent":
                    break; // for people reading a process list: which server this child belongs to
                case "--handoff":
                    handoff = args[i + 1];
                    break;
                case "--assembly":
                    assembly = args[i + 1];
                    break;
                case "--type":
                    type = args[i + 1];
                    break;
                default:
                    return Refuse($"unknown option '{args[i]}'.");
            }
        }

        var token = Environment.GetEnvironmentVariable(ForkedChildProgram.TokenVariable);
        Environment.SetEnvironmentVariable(ForkedChildProgram.TokenVariable, null); // not for the handler's eyes, nor its children's
        return handoff is null ? Refuse("--handoff <address> is required.")
            : assembly is null ? Refuse("--assembly <path> is required.")
            : type is null ? Refuse("--type <name> is required.")
            : token is not { Length: ForkedChildProgram.TokenLength } ? Refuse($"{ForkedChildProgram.TokenVariable} must hold a {ForkedChildProgram.TokenLength}-character token.")
            : ForkedChildProgram.ServeOneClient(handoff, token, assembly, type);
    }

    private static int Refuse(string problem)
    {
        Console.Error.WriteLine($"Threadbook.Worker {ForkedChildProgram.ModeSwitch}: {problem}");
        return WorkerMessages.ExitBadStart;
    }
}
