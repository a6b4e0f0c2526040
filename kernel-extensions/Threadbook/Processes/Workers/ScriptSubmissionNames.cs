using System.Text.RegularExpressions;

namespace Threadbook.Processes.Workers;

/// <summary>
/// A C# script (Roslyn scripting, as a notebook kernel runs cells) wraps each submission's types in a class
/// <c>Submission#N</c>: a type written <c>Jobs</c> is <c>Submission#3+Jobs</c> in memory, while the same code compiled
/// to a file (which worker processes load) names it <c>Jobs</c>. This is the one place that strips the wrapper.
/// </summary>
internal static partial class ScriptSubmissionNames
{
    /// <summary><paramref name="clrName"/> (as <see cref="Type.FullName"/> or <see cref="Type.ToString"/> spell it, generic arguments included) without any <c>Submission#N+</c>.</summary>
    public static string Strip(string clrName) => Wrapper().Replace(clrName, "");

    [GeneratedRegex(@"Submission#\d+\+")]
    private static partial Regex Wrapper();
}
