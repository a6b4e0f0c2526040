using System.Text.Json;
using System.Text.Json.Nodes;

namespace Threadbook.Workbook;

/// <summary>
/// Registers the .NET Interactive C# kernel for Jupyter inside the repository (<c>artifacts/jupyter</c>),
/// using the tool version pinned in <c>dotnet-tools.json</c>, and binds the kernel's HTTP side to loopback
/// (the install command has no option for that, so the kernelspec is patched).
/// </summary>
public static class JupyterKernelSpec
{
    /// <summary>The kernelspec name notebooks ask for.</summary>
    public const string KernelName = ".net-csharp";

    private const string LoopbackOnly = "--http-local-only";

    /// <summary>The folder to put in <c>JUPYTER_PATH</c>.</summary>
    public static string JupyterPath(string repositoryRoot) => Path.Combine(repositoryRoot, "artifacts", "jupyter");

    /// <summary>Restores the local tools and (re)writes the kernelspec; returns the <c>JUPYTER_PATH</c> folder.</summary>
    public static async Task<string> InstallAsync(string repositoryRoot, TextWriter log, CancellationToken cancellationToken = default)
    {
        var jupyterPath = JupyterPath(repositoryRoot);
        var kernels = Path.Combine(jupyterPath, "kernels");
        Directory.CreateDirectory(kernels);

        await Dotnet.RunAsync(repositoryRoot, ["tool", "restore"], log, cancellationToken);
        await Dotnet.RunAsync(repositoryRoot, ["interactive", "jupyter", "install", "--path", kernels], log, cancellationToken);

        // Only the C# kernel is used; the others would only confuse a kernel picker.
        foreach (var other in new[] { ".net-fsharp", ".net-powershell" })
        {
            var dir = Path.Combine(kernels, other);
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        var specPath = Path.Combine(kernels, KernelName, "kernel.json");
        if (!File.Exists(specPath))
        {
            throw new InvalidOperationException($"'dotnet interactive jupyter install' did not write {specPath}.");
        }

        BindToLoopback(specPath);
        log.WriteLine($"Registered the {KernelName} kernel for Jupyter in {kernels}; use JUPYTER_PATH={jupyterPath}");
        return jupyterPath;
    }

    /// <summary>Adds <c>--http-local-only</c> right after <c>{connection_file}</c> in the kernel's argv, once.</summary>
    internal static void BindToLoopback(string specPath)
    {
        var spec = JsonNode.Parse(File.ReadAllText(specPath))!.AsObject();
        var argv = spec["argv"]!.AsArray();
        var arguments = argv.Select(a => a!.GetValue<string>()).ToList();
        if (arguments.Contains(LoopbackOnly))
        {
            return;
        }

        var connectionFile = arguments.IndexOf("{connection_file}");
        if (connectionFile < 0)
        {
            throw new InvalidOperationException($"{specPath} has no {{connection_file}} argument to bind after.");
        }

        argv.Insert(connectionFile + 1, LoopbackOnly);
        File.WriteAllText(specPath, spec.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
