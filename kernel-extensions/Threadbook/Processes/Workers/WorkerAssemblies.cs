using System.Collections.Concurrent;
using Threadbook.Processes.Workers;

namespace Threadbook.Processes;

/// <summary>
/// Where worker processes find code that was written in a notebook: a notebook's <c>#!worker</c> cell is compiled into
/// an assembly on disk (which workers load) and also into the kernel's own in-memory script (which the notebook
/// calls). A delegate to the in-memory copy has no file a worker could load, so the magic registers here which
/// assembly holds each type, by the type's name as written in the cell.
/// </summary>
public static class WorkerAssemblies
{
    private static readonly ConcurrentDictionary<string, string> AssemblyByTypeName = new(StringComparer.Ordinal);

    /// <summary>
    /// Where this host's users declare code that worker processes can run, as error messages name it after "declared"
    /// (default: <c>in a public class of a compiled assembly</c>; the notebook extension sets <c>in a #!worker cell</c>).
    /// </summary>
    public static string WhereToDeclareWorkerCode { get; set; } = "in a public class of a compiled assembly";

    /// <summary>
    /// What this host compiles into memory only, as error messages name it before "is compiled that way" (default:
    /// <c>code run as a script</c>; the notebook extension sets <c>a plain notebook cell</c>).
    /// </summary>
    public static string CodeCompiledInMemory { get; set; } = "code run as a script";

    /// <summary>Records that the type <paramref name="typeName"/> (as written: namespace-qualified if the cell had a namespace) lives in <paramref name="assemblyPath"/>; a later registration of the same name wins.</summary>
    public static void Register(string typeName, string assemblyPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(typeName);
        ArgumentException.ThrowIfNullOrWhiteSpace(assemblyPath);
        AssemblyByTypeName[typeName] = Path.GetFullPath(assemblyPath);
    }

    /// <summary>
    /// The assembly on disk that holds <paramref name="type"/>: its own file when it has one, else the registered
    /// assembly for its name as written in the notebook (a script wraps cell types in <c>Submission#N+</c>).
    /// </summary>
    public static string? LocationOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!type.Assembly.IsDynamic && !string.IsNullOrEmpty(type.Assembly.Location))
        {
            return type.Assembly.Location;
        }

        return AssemblyByTypeName.TryGetValue(NameAsWritten(type), out var path) ? path : null;
    }

    /// <summary>The type's name without the script's <c>Submission#N</c> wrapper: <c>Jobs</c>, <c>MyCode.Jobs</c>, <c>Outer.Inner</c>.</summary>
    public static string NameAsWritten(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return ScriptSubmissionNames.Strip(type.FullName ?? type.Name).Replace('+', '.');
    }
}
