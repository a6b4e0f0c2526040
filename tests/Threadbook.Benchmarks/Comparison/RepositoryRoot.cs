namespace Threadbook.Benchmarks.Comparison;

/// <summary>Finds the repository's root: the nearest folder upwards that holds <c>Notebooks.sln</c>.</summary>
internal static class RepositoryRoot
{
    private const string SolutionFileName = "Notebooks.sln";

    /// <summary>Searches upwards from the program's folder, then from the current directory.</summary>
    public static string Find()
    {
        string[] startingPoints = [AppContext.BaseDirectory, Environment.CurrentDirectory];
        foreach (var start in startingPoints)
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, SolutionFileName)))
                {
                    return directory.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            $"No folder above {string.Join(" or ", startingPoints)} contains {SolutionFileName}; run from inside the repository.");
    }
}
