using System.Reflection;

namespace Threadbook.Introspection;

/// <summary>
/// Bridges a value seen only as <see cref="object"/> (as a notebook formatter sees it) to a view's generic
/// factory: finds the type arguments with which the value's type closes a generic definition such as
/// <c>ChannelReader&lt;&gt;</c>, even when the runtime type is an internal subclass.
/// </summary>
internal static class OpenGeneric
{
    /// <summary>
    /// The type arguments with which <paramref name="type"/> or one of its base types closes
    /// <paramref name="definition"/>; null when none does.
    /// </summary>
    public static Type[]? ArgumentsOf(Type type, Type definition)
    {
        for (var candidate = type; candidate is not null; candidate = candidate.BaseType)
        {
            if (candidate.IsGenericType && candidate.GetGenericTypeDefinition() == definition)
            {
                return candidate.GetGenericArguments();
            }
        }

        return null;
    }

    /// <summary>
    /// Calls the static generic method <paramref name="methodName"/> of <paramref name="owner"/> with
    /// <paramref name="value"/>, closed over the type arguments with which the value's type closes
    /// <paramref name="definition"/>; null when it does not.
    /// </summary>
    public static TResult? Call<TResult>(Type owner, string methodName, Type definition, object value) where TResult : class
    {
        if (ArgumentsOf(value.GetType(), definition) is not { } arguments)
        {
            return null;
        }

        var method = owner.GetMethod(methodName, BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
                     ?? throw new MissingMethodException(owner.FullName, methodName);
        try
        {
            return (TResult?)method.MakeGenericMethod(arguments).Invoke(null, [value]);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
