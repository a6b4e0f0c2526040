using System.Runtime.InteropServices;
using Threadbook.Hosting;

namespace Threadbook.Processes.Workers;

/// <summary>
/// Finds the worker host program (<c>Threadbook.Worker.dll</c>) and the <c>dotnet</c> host that runs it: the file
/// <c>THREADBOOK_WORKER</c> names, else the one beside <c>Threadbook.dll</c> (a build output with a project reference to
/// the worker), else in <c>threadbook-worker/</c> beside it (a program that references the package: its build copies the
/// worker there), else the package layout (<c>&lt;package&gt;/tools/worker/</c>, with <c>Threadbook.dll</c> in
/// <c>&lt;package&gt;/lib/net10.0/</c>: a notebook kernel loads it from the NuGet cache).
/// </summary>
internal static class WorkerLocator
{
    public const string Variable = "THREADBOOK_WORKER";
    public const string FileName = "Threadbook.Worker.dll";

    private static readonly Lazy<string> Dotnet = new(FindDotnetHost);

    /// <summary>The <c>dotnet</c> executable of the running runtime.</summary>
    public static string DotnetHost => Dotnet.Value;

    /// <summary>
    /// The worker with <paramref name="arguments"/> as a process to start: <c>dotnet Threadbook.Worker.dll …</c> in this
    /// process's working directory, its standard input an empty pipe and its output lines going to
    /// <paramref name="lineReceived"/> (so they can be labelled and nothing it writes reaches the kernel's own console);
    /// <paramref name="exited"/> runs when it ends. Set its environment before starting it.
    /// </summary>
    /// <exception cref="FileNotFoundException">The worker is in none of the places <see cref="Locate"/> looks.</exception>
    public static ObservedProcess NewProcess(IEnumerable<string> arguments, Action<OutputLine> lineReceived, Action exited) =>
        new(DotnetHost, [Locate(), .. arguments])
        {
            Input = ProcessInput.Empty,
            LineReceived = lineReceived,
            Exited = exited,
        };

    /// <summary>The worker program's path.</summary>
    /// <exception cref="FileNotFoundException">It is in none of the places; the message lists them.</exception>
    public static string Locate()
    {
        var tried = new List<string>();
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fromVariable)
        {
            return File.Exists(fromVariable)
                ? Path.GetFullPath(fromVariable)
                : throw new FileNotFoundException($"{Variable} names '{fromVariable}', which does not exist.", fromVariable);
        }

        var engineFolder = EngineFolder();
        foreach (var candidate in new[]
                 {
                     Path.Combine(engineFolder, FileName),
                     Path.Combine(engineFolder, "threadbook-worker", FileName),
                     Path.GetFullPath(Path.Combine(engineFolder, "..", "..", "tools", "worker", FileName)),
                 })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }

            tried.Add(candidate);
        }

        throw new FileNotFoundException(
            $"Threadbook's worker program ({FileName}) was not found; looked at {string.Join(", ", tried)}. " +
            $"Set {Variable} to its path, or reference the Threadbook.Worker project so its output is copied beside Threadbook.dll.",
            FileName);
    }

    private static string EngineFolder()
    {
        var location = typeof(WorkerLocator).Assembly.Location;
        return string.IsNullOrEmpty(location) ? AppContext.BaseDirectory : Path.GetDirectoryName(location)!;
    }

    private static string FindDotnetHost()
    {
        var executable = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        // The runtime lives in <dotnet root>/shared/Microsoft.NETCore.App/<version>/: its host is three folders up.
        var beside = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", executable));
        if (File.Exists(beside))
        {
            return beside;
        }

        if (Environment.ProcessPath is { } self && Path.GetFileName(self) == executable)
        {
            return self;
        }

        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : executable;
    }
}
