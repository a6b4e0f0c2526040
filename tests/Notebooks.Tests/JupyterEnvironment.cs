using System.Diagnostics;
using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>
/// A real Jupyter client for the tests: Debian's python3 with nbclient, the pinned dotnet-interactive tool,
/// and the C# kernelspec registered inside the repository, bound to loopback.
/// </summary>
public sealed class JupyterEnvironment : IAsyncLifetime
{
    private const string DebianPackages = "python3-nbclient jupyter-client jupyter-core";

    /// <summary>The interpreter that has nbclient: THREADBOOK_JUPYTER_PYTHON, else Debian's /usr/bin/python3.</summary>
    public string Python { get; } = Environment.GetEnvironmentVariable("THREADBOOK_JUPYTER_PYTHON") ?? "/usr/bin/python3";

    public string JupyterPath { get; private set; } = "";

    public string Script => Path.Combine(AppContext.BaseDirectory, "jupyter", "execute_notebook.py");

    public async Task InitializeAsync()
    {
        var probe = await RunAsync(Python, ["-c", "import nbclient, nbformat, jupyter_client"], Repository.Root, TimeSpan.FromMinutes(1));
        if (probe.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Python} cannot import nbclient ({probe.Error.Trim()}). The test command installs it; by hand: " +
                $"apt-get install -y --no-install-recommends {DebianPackages}");
        }

        JupyterPath = await JupyterKernelSpec.InstallAsync(Repository.Root, TextWriter.Null);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Executes <paramref name="notebook"/> with nbclient, writing the executed copy to <paramref name="output"/>.</summary>
    public Task<ProcessResult> ExecuteAsync(string notebook, string output) =>
        RunAsync(Python, [Script, notebook, output, "300"], Path.GetDirectoryName(notebook)!, TimeSpan.FromMinutes(10), new()
        {
            ["JUPYTER_PATH"] = JupyterPath,
            ["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1",
        });

    public static async Task<ProcessResult> RunAsync(
        string program,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        Dictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? [])
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
        }

        return new ProcessResult(process.ExitCode, await output, await error);
    }
}

/// <summary>How a child process ended and what it printed.</summary>
public sealed record ProcessResult(int ExitCode, string Output, string Error);
