using System.Reflection;
using System.Runtime.ExceptionServices;

namespace Threadbook.Processes.Workers;

/// <summary>
/// Turns a child's exception, which arrives as a <see cref="RemoteException"/> (type name, message, stack), back into an
/// exception of the child's own type, as Python's pool re-raises the child's <c>RuntimeError</c> as a <c>RuntimeError</c>.
/// </summary>
/// <remarks>
/// <para>The type is looked up by its full name in the framework and in every assembly this process has loaded (a test
/// or program assembly whose code workers run is loaded here too); a notebook's <c>#!worker</c> type is found in the
/// kernel's in-memory submission, whose name carries a <c>Submission#N+</c> wrapper. It must derive from
/// <see cref="Exception"/> and not be abstract.</para>
/// <para>Constructors tried, in order: <c>(string message, Exception innerException)</c>, which keeps the
/// <see cref="RemoteException"/> as the inner exception; then <c>(string message)</c>, which keeps it in
/// <see cref="Exception.Data"/> under <see cref="RemoteException.DataKey"/>. The built exception must report exactly the
/// child's message (so <c>ArgumentNullException(string paramName)</c>, whose one string is not a message, is not taken);
/// a constructor that throws or changes the message is skipped. When none fits, the <see cref="RemoteException"/> itself
/// is thrown, naming the type. The child's stack becomes the start of the rebuilt exception's
/// <see cref="Exception.StackTrace"/>. State beyond the message (an <see cref="ArgumentException.ParamName"/>, a custom
/// exception's properties) does not travel.</para>
/// </remarks>
internal static class RemoteExceptionRebuilder
{
    /// <summary>The child's exception as its own type, or <paramref name="remote"/> when this process cannot build it.</summary>
    public static Exception Rebuild(RemoteException remote)
    {
        if (FindType(remote.RemoteTypeName) is not { } type || !typeof(Exception).IsAssignableFrom(type) || type.IsAbstract ||
            type == typeof(RemoteException) || type.ContainsGenericParameters)
        {
            return remote;
        }

        var rebuilt = Build(type, [typeof(string), typeof(Exception)], [remote.RemoteMessage, remote])
            ?? Build(type, [typeof(string)], [remote.RemoteMessage]);
        if (rebuilt is null)
        {
            return remote;
        }

        if (rebuilt.InnerException != remote)
        {
            rebuilt.Data[RemoteException.DataKey] = remote;
        }

        var stack = remote.RemoteStackTrace.TrimEnd();
        ExceptionDispatchInfo.SetRemoteStackTrace(rebuilt, $"{(stack.Length > 0 ? stack + Environment.NewLine : "")}   --- in process {remote.ProcessId}, running {remote.Call} ---{Environment.NewLine}");
        return rebuilt;
    }

    private static Exception? Build(Type type, Type[] shape, object[] arguments)
    {
        if (type.GetConstructor(BindingFlags.Public | BindingFlags.Instance, shape) is not { } constructor)
        {
            return null;
        }

        try
        {
            var built = (Exception)constructor.Invoke(arguments);
            return built.Message == (string)arguments[0] ? built : null;
        }
        catch (Exception)
        {
            return null; // a constructor that refuses the message: try the next shape
        }
    }

    private static Type? FindType(string fullName)
    {
        if (Type.GetType(fullName, throwOnError: false) is { } known)
        {
            return known;
        }

        Type? fromScript = null;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (assembly.GetType(fullName, throwOnError: false) is { } found)
            {
                return found;
            }

            if (assembly.IsDynamic || !string.IsNullOrEmpty(assembly.Location))
            {
                continue;
            }

            // A notebook's submission: the worker's Jobs is Submission#N+Jobs here (the latest submission wins, as in the notebook).
            try
            {
                foreach (var type in assembly.GetTypes())
                {
                    if (type.FullName is { } name && name.Contains("Submission#", StringComparison.Ordinal) && ScriptSubmissionNames.Strip(name) == fullName)
                    {
                        fromScript = type;
                    }
                }
            }
            catch (ReflectionTypeLoadException)
            {
                // an assembly whose types cannot all load: not where a notebook's exception lives
            }
        }

        return fromScript;
    }
}
