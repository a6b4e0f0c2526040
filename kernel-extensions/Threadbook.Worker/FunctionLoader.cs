using System.Reflection;
using Threadbook.Processes;
using Threadbook.Processes.Wire;

namespace Threadbook.Worker;

/// <summary>
/// Finds the methods the parent names: loads each assembly once (one <see cref="FolderLoadContext"/> per folder, so
/// assemblies of one folder that reference each other share it) and keeps every method it resolved, by function id.
/// </summary>
internal sealed class FunctionLoader
{
    private readonly Dictionary<string, FolderLoadContext> _contexts = new(StringComparer.Ordinal);
    private readonly Dictionary<int, FunctionDefinition> _definitions = [];
    private readonly Dictionary<int, LoadedFunction> _loaded = [];

    /// <summary>
    /// Runs the loading path once on the worker's own assembly, so that a pre-started worker loads its first function in
    /// milliseconds: in a fresh process the first <see cref="AssemblyName.GetAssemblyName"/> and the first
    /// <see cref="System.Runtime.Loader.AssemblyDependencyResolver"/> cost about 50 ms together (measured on two cores).
    /// </summary>
    public static void WarmUp()
    {
        var self = typeof(FunctionLoader).Assembly.Location;
        if (string.IsNullOrEmpty(self))
        {
            return;
        }

        AssemblyName.GetAssemblyName(self);
        try
        {
            _ = new System.Runtime.Loader.AssemblyDependencyResolver(self);
        }
        catch (InvalidOperationException)
        {
            // no readable .deps.json beside the worker: nothing to warm
        }
    }

    public void Define(FunctionDefinition definition)
    {
        lock (_definitions)
        {
            _definitions[definition.Id] = definition;
        }
    }

    /// <summary>The method of function <paramref name="id"/>; throws what went wrong loading it (missing file, type or method).</summary>
    public LoadedFunction Get(int id)
    {
        if (_loaded.TryGetValue(id, out var known))
        {
            return known;
        }

        FunctionDefinition? definition;
        lock (_definitions)
        {
            _definitions.TryGetValue(id, out definition);
        }

        if (definition is null)
        {
            throw new InvalidOperationException($"The parent asked for function #{id} without defining it.");
        }

        var loaded = Load(definition);
        _loaded[id] = loaded;
        return loaded;
    }

    private LoadedFunction Load(FunctionDefinition definition)
    {
        var path = Path.GetFullPath(definition.AssemblyPath);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{definition.DisplayName} cannot run: its assembly '{path}' does not exist in the worker's view.", path);
        }

        var folder = Path.GetDirectoryName(path)!;
        if (!_contexts.TryGetValue(folder, out var context))
        {
            _contexts[folder] = context = new FolderLoadContext(folder);
        }

        var assembly = context.LoadFile(path);
        var type = assembly.GetType(definition.TypeName, throwOnError: false)
            ?? throw new TypeLoadException($"{definition.DisplayName} cannot run: type '{definition.TypeName}' is not in {Path.GetFileName(path)}.");
        var method = type.GetMethods(BindingFlags.Public | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == definition.MethodName &&
                                 m.GetParameters().Select(p => p.ParameterType.ToString()).SequenceEqual(definition.ParameterTypes))
            ?? throw new MissingMethodException(
                $"{definition.DisplayName} cannot run: {definition.TypeName} has no public static {definition.MethodName}({string.Join(", ", definition.ParameterTypes)}).");
        return new LoadedFunction(definition, method, method.GetParameters());
    }
}
