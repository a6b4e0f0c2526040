using System.Text.RegularExpressions;

namespace Threadbook.Fibers;

/// <summary>A readable name for the function a fiber or coroutine runs: a method's name, or a local function's.</summary>
internal static partial class DelegateName
{
    /// <summary><c>test1</c> for a method or local function <c>test1</c>; null for a lambda or anything unreadable.</summary>
    public static string? Of(Delegate function)
    {
        try
        {
            var name = function.Method.Name;
            if (!name.Contains('<'))
            {
                return name;
            }

            // Local functions compile to "<Outer>g__name|0_0"; lambdas to "<Outer>b__0_0" (no usable name).
            var local = LocalFunction().Match(name);
            return local.Success ? local.Groups[1].Value : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    [GeneratedRegex(@"g__([^|]+)\|")]
    private static partial Regex LocalFunction();
}
