using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>Paths of the repository the tests run in.</summary>
public static class Repository
{
    public static LocalFeed Feed { get; } =
        LocalFeed.Find(AppContext.BaseDirectory) ?? throw new InvalidOperationException("The tests must run inside the Threadbook repository.");

    public static string Root => Feed.RepositoryRoot;

    public static string NotebooksFolder => Path.Combine(Root, "notebooks");

    /// <summary>Every notebook of the workbook, by file name.</summary>
    public static TheoryData<string> Notebooks()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(NotebooksFolder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }

        return data;
    }

    /// <summary>A fresh folder under artifacts/test-runs for one test's files.</summary>
    public static string NewWorkFolder(string name)
    {
        var folder = Path.Combine(Root, "artifacts", "test-runs", $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
        Directory.CreateDirectory(folder);
        return folder;
    }
}
