namespace Threadbook.Interactive;

/// <summary>Small checks and rewrites that several magics apply to their arguments and to the cell's code.</summary>
internal static class MagicArguments
{
    /// <summary>
    /// Splits the leading <c>using</c> directives off a cell's code, so the rest can be wrapped in a lambda
    /// (directives are not allowed there).
    /// </summary>
    public static (string Usings, string Body) SplitUsings(string code)
    {
        var lines = code.Split('\n');
        var split = 0;
        while (split < lines.Length && (string.IsNullOrWhiteSpace(lines[split]) ||
               (lines[split].TrimStart().StartsWith("using ", StringComparison.Ordinal) && lines[split].TrimEnd().EndsWith(';') && !lines[split].Contains('('))))
        {
            split++;
        }

        var usings = string.Concat(lines.Take(split).Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.TrimEnd() + "\n"));
        return (usings, string.Join('\n', lines.Skip(split)));
    }
}
