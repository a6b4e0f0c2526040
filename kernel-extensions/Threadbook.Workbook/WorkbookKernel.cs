using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Threadbook.Workbook;

/// <summary>
/// Builds an in-process kernel shaped like the one <c>dotnet-interactive</c> gives a notebook: a
/// composite kernel whose C# kernel understands <c>#r "nuget:..."</c>, with kernel helpers and value
/// sharing, and which loads a package's extension the way the tool does.
/// </summary>
public static class WorkbookKernel
{
    /// <summary>Creates the kernel. Dispose it when done.</summary>
    /// <param name="forceRestore">Skip the package manager's on-disk result cache, so a freshly packed build is seen.</param>
    public static CompositeKernel Create(bool forceRestore = true)
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective(
                (kernel, references) =>
                {
                    kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                    return Task.CompletedTask;
                },
                forceRestore)
            .UseKernelHelpers()
            .UseValueSharing();

        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        PackageExtensionLoader.AttachTo(composite);
        return composite;
    }
}
