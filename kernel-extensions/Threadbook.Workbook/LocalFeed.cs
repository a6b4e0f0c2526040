using System.Globalization;

namespace Threadbook.Workbook;

/// <summary>
/// The local package feed (<c>artifacts/packages</c>) that notebooks load Threadbook from. Every pack gets
/// a new prerelease version, because NuGet's cache would otherwise keep serving an older build under the
/// same version.
/// </summary>
public sealed class LocalFeed
{
    private static readonly string[] PackedProjects =
    [
        Path.Combine("kernel-extensions", "Threadbook", "Threadbook.csproj"),
        Path.Combine("kernel-extensions", "Threadbook.Interactive", "Threadbook.Interactive.csproj"),
    ];

    // What the packages are made from: the packed projects and the worker host the Threadbook package carries.
    private static readonly string[] SourceFolders =
    [
        Path.Combine("kernel-extensions", "Threadbook"),
        Path.Combine("kernel-extensions", "Threadbook.Interactive"),
        Path.Combine("kernel-extensions", "Threadbook.Worker"),
    ];

    private const int PackagesKept = 3;

    /// <summary>Uses the repository at <paramref name="repositoryRoot"/>.</summary>
    public LocalFeed(string repositoryRoot)
    {
        RepositoryRoot = Path.GetFullPath(repositoryRoot);
        if (!File.Exists(Path.Combine(RepositoryRoot, "Notebooks.sln")))
        {
            throw new ArgumentException($"'{RepositoryRoot}' is not the Threadbook repository (no Notebooks.sln).", nameof(repositoryRoot));
        }
    }

    /// <summary>The repository's root folder.</summary>
    public string RepositoryRoot { get; }

    /// <summary>Where packages are written.</summary>
    public string PackagesFolder => Path.Combine(RepositoryRoot, "artifacts", "packages");

    /// <summary>Finds the repository that contains <paramref name="start"/> (the folder holding Notebooks.sln).</summary>
    public static LocalFeed? Find(string start)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Notebooks.sln")))
            {
                return new LocalFeed(dir.FullName);
            }
        }

        return null;
    }

    /// <summary>The newest packed version of Threadbook.Interactive, or null when none is packed.</summary>
    public string? NewestVersion() => NewestPackage()?.Version;

    /// <summary>
    /// True when no package exists or a source file of a packed project (or of the worker host the package carries)
    /// changed after the newest pack began.
    /// </summary>
    public bool IsStale()
    {
        if (NewestPackage() is not { } newest)
        {
            return true;
        }

        var packedAt = File.GetLastWriteTimeUtc(newest.Path);
        return SourceFolders
            .Select(folder => Path.Combine(RepositoryRoot, folder))
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            .Where(f => !IsBuildOutput(f))
            .Any(f => File.GetLastWriteTimeUtc(f) > packedAt);
    }

    /// <summary>Packs when <see cref="IsStale"/>; returns the version notebooks will load.</summary>
    public async Task<string> EnsurePackedAsync(TextWriter log, CancellationToken cancellationToken = default) =>
        IsStale() ? await PackAsync(log, cancellationToken) : NewestVersion()!;

    /// <summary>Packs Threadbook and Threadbook.Interactive with a fresh prerelease version; returns it.</summary>
    public async Task<string> PackAsync(TextWriter log, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(PackagesFolder);
        var suffix = "dev." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        if (NewestVersion() is { } newest && string.CompareOrdinal(newest[(newest.IndexOf('-') + 1)..], suffix) >= 0)
        {
            // Packed twice within a second: wait for the clock so the new version sorts above the old one.
            await Task.Delay(TimeSpan.FromSeconds(1.1), cancellationToken);
            suffix = "dev." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        }

        var startedAt = DateTime.UtcNow;
        foreach (var project in PackedProjects)
        {
            await Dotnet.RunAsync(
                RepositoryRoot,
                ["pack", Path.Combine(RepositoryRoot, project), "-c", "Release", "-o", PackagesFolder, $"-p:VersionSuffix={suffix}", "-nologo", "-v:q"],
                log,
                cancellationToken);
        }

        RemoveOldPackages();
        var version = NewestVersion() ?? throw new InvalidOperationException($"dotnet pack reported success but no package is in {PackagesFolder}.");
        // Dated when the pack began, so a file saved while it ran (and perhaps not in it) makes the next run pack again.
        foreach (var package in Directory.EnumerateFiles(PackagesFolder, $"*.{version}.nupkg"))
        {
            File.SetLastWriteTimeUtc(package, startedAt);
        }

        log.WriteLine($"Packed Threadbook {version} into {PackagesFolder}");
        return version;
    }

    private (string Path, string Version)? NewestPackage()
    {
        if (!Directory.Exists(PackagesFolder))
        {
            return null;
        }

        const string prefix = "Threadbook.Interactive.";
        return Directory.EnumerateFiles(PackagesFolder, prefix + "*.nupkg")
            .Select(p => (Path: p, Version: Path.GetFileNameWithoutExtension(p)[prefix.Length..]))
            .OrderByDescending(p => p.Version, VersionOrder.Instance)
            .Cast<(string Path, string Version)?>()
            .FirstOrDefault();
    }

    private void RemoveOldPackages()
    {
        foreach (var id in new[] { "Threadbook.Interactive.", "Threadbook." })
        {
            var old = Directory.EnumerateFiles(PackagesFolder, id + "*.nupkg")
                .Where(p => char.IsDigit(Path.GetFileName(p)[id.Length]))
                .OrderByDescending(p => Path.GetFileNameWithoutExtension(p)[id.Length..], VersionOrder.Instance)
                .Skip(PackagesKept);
            foreach (var file in old)
            {
                File.Delete(file);
            }
        }
    }

    private static bool IsBuildOutput(string path)
    {
        var parts = path.Split(Path.DirectorySeparatorChar);
        return parts.Contains("bin") || parts.Contains("obj");
    }

    /// <summary>Orders our own versions (0.1.0-dev.yyyyMMddHHmmss): release part numerically, then the suffix.</summary>
    private sealed class VersionOrder : IComparer<string>
    {
        public static readonly VersionOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (xRelease, xSuffix) = Split(x ?? "");
            var (yRelease, ySuffix) = Split(y ?? "");
            var byRelease = xRelease.CompareTo(yRelease);
            return byRelease != 0 ? byRelease : string.CompareOrdinal(xSuffix, ySuffix);
        }

        private static (Version Release, string Suffix) Split(string version)
        {
            var dash = version.IndexOf('-');
            var release = dash < 0 ? version : version[..dash];
            return (Version.TryParse(release, out var v) ? v : new Version(0, 0), dash < 0 ? "\uffff" : version[(dash + 1)..]);
        }
    }
}
