using System.Globalization;
using Threadbook.Processes;
using Threadbook.Processes.Workers;

namespace Threadbook.Worker;

/// <summary>What the parent told the worker on its command line and in its environment.</summary>
internal sealed record WorkerOptions(int ParentPid, string Address, string Token)
{
    public static bool TryParse(string[] args, out WorkerOptions options, out string problem)
    {
        options = new WorkerOptions(0, "", "");
        int? parent = null;
        string? address = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--parent" when int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid):
                    parent = pid;
                    break;
                case "--connect":
                    address = args[i + 1];
                    break;
                default:
                    problem = $"unknown or malformed option '{args[i]}'.";
                    return false;
            }
        }

        var token = Environment.GetEnvironmentVariable(WorkerProcess.TokenVariable);
        // The token is the worker's credential: keep it from the user code the worker runs (and its children).
        Environment.SetEnvironmentVariable(WorkerProcess.TokenVariable, null);
        problem = parent is null ? "--parent <pid> is required."
            : address is null ? "--connect <address> is required."
            : string.IsNullOrEmpty(token) ? $"{WorkerProcess.TokenVariable} is not set."
            : "";
        if (problem.Length > 0)
        {
            return false;
        }

        options = new WorkerOptions(parent!.Value, address!, token!);
        return true;
    }
}
