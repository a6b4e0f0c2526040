using System.Diagnostics;

namespace Threadbook.Workbook;

/// <summary>Runs the dotnet CLI as a child process and fails with its output when it fails.</summary>
internal static class Dotnet
{
    public static async Task RunAsync(string workingDirectory, IReadOnlyList<string> arguments, TextWriter log, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start dotnet.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            log.WriteLine(await output);
            log.WriteLine(await error);
            throw new InvalidOperationException($"'dotnet {string.Join(' ', arguments)}' failed with exit code {process.ExitCode}.");
        }
    }
}
