using System.Reflection;
using System.Runtime.Loader;

namespace Threadbook.Worker;

/// <summary>
/// Loads the assemblies of one folder (a #!worker cell's output, a test or console program's bin folder). Assemblies
/// the worker itself has (the framework, Threadbook) always come from the worker, so a function taking a
/// <c>SharedArray&lt;int&gt;</c> gets the worker's own type; anything else is found through the folder's
/// <c>.deps.json</c> when the assembly has one, otherwise in the folder.
/// </summary>
internal sealed class FolderLoadContext : AssemblyLoadContext
{
    private static readonly HashSet<string> WorkerAssemblies = TrustedNames();
    private readonly string _folder;
    private readonly List<AssemblyDependencyResolver> _resolvers = [];

    public FolderLoadContext(string folder)
        : base($"threadbook worker code: {folder}", isCollectible: false)
    {
        _folder = folder;
    }

    /// <summary>Loads <paramref name="path"/> (in this folder), or returns it when it is loaded already.</summary>
    public Assembly LoadFile(string path)
    {
        var name = AssemblyName.GetAssemblyName(path);
        if (WorkerAssemblies.Contains(name.Name!))
        {
            return Default.LoadFromAssemblyName(name);
        }

        var loaded = Assemblies.FirstOrDefault(a => string.Equals(a.GetName().Name, name.Name, StringComparison.OrdinalIgnoreCase));
        if (loaded is not null)
        {
            return loaded;
        }

        if (File.Exists(Path.ChangeExtension(path, ".deps.json")))
        {
            try
            {
                _resolvers.Add(new AssemblyDependencyResolver(path));
            }
            catch (InvalidOperationException)
            {
                // an unreadable .deps.json: the folder alone will have to do
            }
        }

        return LoadFromAssemblyPath(path);
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is null || WorkerAssemblies.Contains(assemblyName.Name))
        {
            return null; // the worker's own copy
        }

        foreach (var resolver in _resolvers)
        {
            if (resolver.ResolveAssemblyToPath(assemblyName) is { } resolved && File.Exists(resolved))
            {
                return LoadFromAssemblyPath(resolved);
            }
        }

        var beside = Path.Combine(_folder, assemblyName.Name + ".dll");
        return File.Exists(beside) ? LoadFromAssemblyPath(beside) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        foreach (var resolver in _resolvers)
        {
            if (resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } resolved)
            {
                return LoadUnmanagedDllFromPath(resolved);
            }
        }

        return IntPtr.Zero;
    }

    private static HashSet<string> TrustedNames() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(Path.GetFileNameWithoutExtension)
        .OfType<string>()
        .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
