using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace Threadbook.Workbook;

/// <summary>
/// Replays what <c>dotnet-interactive</c> does after a <c>#r "nuget:..."</c> adds a package: every
/// <c>IKernelExtension</c> in the package's <c>interactive-extensions/dotnet/*.dll</c> is loaded, then that
/// folder's <c>extension.dib</c> runs. The tool keeps this logic to itself, so an in-process kernel
/// must do it here.
/// </summary>
public static class PackageExtensionLoader
{
    /// <summary>Watches <paramref name="kernel"/> for added packages and loads their extensions after the command that added them.</summary>
    public static void AttachTo(CompositeKernel kernel)
    {
        var added = new ConcurrentQueue<string>();
        var seen = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        kernel.RegisterForDisposal(kernel.KernelEvents.Subscribe(e =>
        {
            if (e is PackageAdded { PackageReference.PackageRoot: { } root } && seen.TryAdd(root, true))
            {
                added.Enqueue(root);
            }
        }));

        kernel.AddMiddleware(async (command, context, next) =>
        {
            await next(command, context);
            while (added.TryDequeue(out var root))
            {
                var folder = new DirectoryInfo(Path.Combine(root, "interactive-extensions", "dotnet"));
                if (folder.Exists)
                {
                    await LoadAsync(kernel, folder, context);
                }
            }
        });
    }

    private static async Task LoadAsync(CompositeKernel kernel, DirectoryInfo folder, KernelInvocationContext context)
    {
        foreach (var dll in folder.GetFiles("*.dll"))
        {
            var assembly = AssemblyLoadContext.Default.LoadFromAssemblyPath(dll.FullName);
            foreach (var type in assembly.ExportedTypes.Where(IsExtensionType))
            {
                var extension = (IKernelExtension)Activator.CreateInstance(type)!;
                await extension.OnLoadAsync(kernel);
            }
        }

        var script = new FileInfo(Path.Combine(folder.FullName, "extension.dib"));
        if (script.Exists)
        {
            await kernel.LoadAndRunInteractiveDocument(script, context.Command);
        }
    }

    private static bool IsExtensionType(Type type) =>
        type is { IsAbstract: false, IsInterface: false } &&
        typeof(IKernelExtension).IsAssignableFrom(type) &&
        type.GetConstructor(Type.EmptyTypes) is not null;
}
