using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Threadbook.Processes.Workers;

namespace Threadbook.Processes;

/// <summary>
/// A function another process can run: a public static method named by the file of its assembly, its type's full
/// name, its name and its parameter types. A child process cannot run a lambda or a method compiled in memory (a
/// plain notebook cell): it loads the assembly from disk and calls the method, with arguments and a result that
/// travel as JSON.
/// </summary>
/// <remarks>
/// <para>What can travel (arguments and results, serialized with System.Text.Json): numbers, <see cref="bool"/>,
/// <see cref="char"/>, strings, enums, <see cref="DateTime"/>/<see cref="TimeSpan"/>/<see cref="Guid"/>, arrays, lists
/// and dictionaries of those, records and classes with public properties (or public fields) and a constructor
/// System.Text.Json can call, and Threadbook's shared handles: <see cref="SharedArray{T}"/>, <see cref="ProcessLock"/>
/// and <see cref="SharedDictionary"/>, which the other process re-opens, so both sides see the same memory or
/// dictionary. Everything else is copied: a list changed in a child is unchanged in the parent, as in Python.
/// Delegates, threads, streams and other live objects cannot travel.</para>
/// <para>Each argument is read back as the type of its parameter; a parameter or result declared as
/// <see cref="object"/> comes back as a plain value (<see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="string"/>, <see cref="bool"/>, null, <c>List&lt;object?&gt;</c>, <c>Dictionary&lt;string, object?&gt;</c>)
/// or a shared handle. A method returning <see cref="Task"/> or <see cref="Task{TResult}"/> is awaited in the worker.</para>
/// </remarks>
public sealed class WorkerFunction
{
    private static readonly ConcurrentDictionary<MethodInfo, WorkerFunction> ByMethod = new();
    private static int s_lastId;

    private WorkerFunction(MethodInfo method, string assemblyPath)
    {
        Method = method;
        AssemblyPath = assemblyPath;
        // A #!worker cell's type in the kernel is Submission#N+Jobs; in the assembly on disk it is Jobs.
        TypeName = ScriptSubmissionNames.Strip(method.DeclaringType!.FullName!);
        MethodName = method.Name;
        ParameterTypes = method.GetParameters().Select(p => ScriptSubmissionNames.Strip(p.ParameterType.ToString())).ToArray();
        ResultType = UnwrapTask(method.ReturnType);
        Id = Interlocked.Increment(ref s_lastId);
    }

    /// <summary>The assembly file the method is declared in (a child process loads it from there).</summary>
    public string AssemblyPath { get; }

    /// <summary>The full name of the declaring type (<c>Outer+Inner</c> for a nested type).</summary>
    public string TypeName { get; }

    /// <summary>The method's name.</summary>
    public string MethodName { get; }

    /// <summary>The parameter types, as <see cref="Type.ToString"/> spells them (to tell overloads apart).</summary>
    public IReadOnlyList<string> ParameterTypes { get; }

    /// <summary>The method in this process.</summary>
    public MethodInfo Method { get; }

    /// <summary>What a call returns once awaited: the return type, <c>T</c> for <c>Task&lt;T&gt;</c>, <see cref="void"/> for none.</summary>
    public Type ResultType { get; }

    /// <summary>
    /// The function <paramref name="function"/> names. It must be a method group (or a delegate made from one) of a public
    /// static method of a public type whose assembly is a file.
    /// </summary>
    /// <exception cref="ArgumentException">A lambda, closure, instance method or in-memory method; the message says what to pass instead.</exception>
    public static WorkerFunction From(Delegate function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.GetInvocationList().Length != 1)
        {
            throw new ArgumentException($"A combined (multicast) delegate cannot run in another process: {Advice}.", nameof(function));
        }

        if (function.Target is not null)
        {
            throw new ArgumentException(
                $"'{Describe(function.Method)}' cannot run in another process: it is a lambda, a closure or an instance method, " +
                $"which exists only in this process; {Advice}.",
                nameof(function));
        }

        return From(function.Method);
    }

    /// <summary>The function <paramref name="method"/> is; the same rules as <see cref="From(Delegate)"/>.</summary>
    public static WorkerFunction From(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return ByMethod.TryGetValue(method, out var known) ? known : ByMethod.GetOrAdd(method, Validate(method));
    }

    /// <summary>The number workers know this function by (unique in this process).</summary>
    internal int Id { get; }

    /// <summary>The call as a person writes it, e.g. <c>Foo(3)</c>, arguments shortened.</summary>
    public string DescribeCall(IReadOnlyList<object?> arguments) => CallText.Of(MethodName, arguments);

    /// <inheritdoc />
    public override string ToString() => $"{TypeName}.{MethodName}({string.Join(", ", ParameterTypes)}) in {Path.GetFileName(AssemblyPath)}";

    /// <summary>Throws unless <paramref name="arguments"/> has one value per parameter.</summary>
    internal void CheckArgumentCount(IReadOnlyList<object?> arguments)
    {
        if (arguments.Count != ParameterTypes.Count)
        {
            throw new ArgumentException(
                $"{MethodName} takes {ParameterTypes.Count} argument(s) ({string.Join(", ", ParameterTypes)}) but {arguments.Count} were given.",
                nameof(arguments));
        }
    }

    private static WorkerFunction Validate(MethodInfo method)
    {
        var name = Describe(method);
        if (!method.IsStatic || method.Name.Contains('<') || method.IsDefined(typeof(CompilerGeneratedAttribute)) ||
            method.DeclaringType is not { } type || type.IsDefined(typeof(CompilerGeneratedAttribute)) || type.FullName is null)
        {
            throw new ArgumentException(
                $"'{name}' cannot run in another process: it is a lambda, a closure or an instance method, which exists only in this process; {Advice}.",
                nameof(method));
        }

        if (!method.IsPublic || !type.IsVisible)
        {
            throw new ArgumentException($"'{name}' cannot run in another process: the method and its class must be public; {Advice}.", nameof(method));
        }

        if (method.ContainsGenericParameters || type.ContainsGenericParameters || method.IsGenericMethod)
        {
            throw new ArgumentException($"'{name}' cannot run in another process: generic methods are not supported; {Advice}.", nameof(method));
        }

        var assembly = method.Module.Assembly;
        // In-memory code (a notebook cell) can run when a #!worker cell compiled the same type to a file.
        var location = WorkerAssemblies.LocationOf(type);
        if (string.IsNullOrEmpty(location) || !File.Exists(location))
        {
            throw new ArgumentException(
                $"'{name}' cannot run in another process: its assembly '{assembly.GetName().Name}' exists only in memory " +
                $"({WorkerAssemblies.CodeCompiledInMemory} is compiled that way); {Advice}, whose code is compiled to a file that worker processes load.",
                nameof(method));
        }

        return new WorkerFunction(method, location);
    }

    /// <summary>How to fix it, in this host's words (see <see cref="WorkerAssemblies.WhereToDeclareWorkerCode"/>).</summary>
    private static string Advice => $"pass a public static method, e.g. one declared {WorkerAssemblies.WhereToDeclareWorkerCode}";

    private static string Describe(MethodInfo method) =>
        method.DeclaringType is { } type ? $"{type.Name}.{method.Name}" : method.Name;

    private static Type UnwrapTask(Type returnType) =>
        returnType == typeof(Task) ? typeof(void)
        : returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>) ? returnType.GetGenericArguments()[0]
        : returnType;
}
