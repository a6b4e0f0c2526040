using Threadbook.Hosting;

namespace Threadbook.Workbook;

/// <summary>Runs the dotnet CLI as a child process and fails with its output when it fails.</summary>
internal static class Dotnet
{
    public static async Task RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TextWriter log, CancellationToken cancellationToken)
    {
        // Disposing it kills its process tree when the wait is cancelled.
        using var process = new ObservedProcess("dotnet", arguments)
        {
            WorkingDirectory = workingDirectory,
            Input = ProcessInput.Inherited,
            CaptureOutput = true,
            Environment =
            {
                ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
                ["DOTNET_NOLOGO"] = "1",
            },
        };
        process.Start();
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            log.WriteLine(process.CapturedOutput);
            log.WriteLine(process.CapturedError);
            throw new InvalidOperationException($"'dotnet {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}.");
        }
    }
}
