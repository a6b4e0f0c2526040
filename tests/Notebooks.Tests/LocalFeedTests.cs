using Threadbook.Workbook;

namespace Notebooks.Tests;

/// <summary>When the workbook packs again: on a throw-away repository layout with dated files.</summary>
public sealed class LocalFeedTests : IDisposable
{
    private static readonly DateTime PackedAt = new(2026, 1, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly string[] Projects = ["Threadbook", "Threadbook.Interactive", "Threadbook.Worker"];
    private readonly string _root = Directory.CreateTempSubdirectory("threadbook-feed-").FullName;

    public LocalFeedTests()
    {
        File.WriteAllText(Path.Combine(_root, "Notebooks.sln"), "");
        foreach (var project in Projects)
        {
            WriteDated(Path.Combine("kernel-extensions", project, "Source.cs"), PackedAt.AddHours(-1));
        }
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void a_feed_without_a_package_is_stale()
    {
        new LocalFeed(_root).IsStale().Should().BeTrue();
    }

    [Fact]
    public void a_package_made_after_every_source_change_is_fresh_and_its_version_is_the_newest()
    {
        Pack("0.1.0-dev.20251231000000", PackedAt.AddDays(-1));
        Pack("0.1.0-dev.20260101120000", PackedAt);

        var feed = new LocalFeed(_root);

        feed.IsStale().Should().BeFalse();
        feed.NewestVersion().Should().Be("0.1.0-dev.20260101120000");
    }

    [Theory]
    [InlineData("Threadbook")]
    [InlineData("Threadbook.Interactive")]
    [InlineData("Threadbook.Worker")]
    public void a_source_saved_after_the_pack_began_makes_it_stale(string project)
    {
        Pack("0.1.0-dev.20260101120000", PackedAt);
        WriteDated(Path.Combine("kernel-extensions", project, "Changed.cs"), PackedAt.AddSeconds(5));

        new LocalFeed(_root).IsStale().Should().BeTrue($"{project} goes into the packages");
    }

    [Fact]
    public void build_output_written_after_the_pack_does_not_make_it_stale()
    {
        Pack("0.1.0-dev.20260101120000", PackedAt);
        WriteDated(Path.Combine("kernel-extensions", "Threadbook", "bin", "Release", "Threadbook.dll"), PackedAt.AddMinutes(1));
        WriteDated(Path.Combine("kernel-extensions", "Threadbook.Worker", "obj", "project.assets.json"), PackedAt.AddMinutes(1));

        new LocalFeed(_root).IsStale().Should().BeFalse();
    }

    private void Pack(string version, DateTime at)
    {
        WriteDated(Path.Combine("artifacts", "packages", $"Threadbook.{version}.nupkg"), at);
        WriteDated(Path.Combine("artifacts", "packages", $"Threadbook.Interactive.{version}.nupkg"), at);
    }

    private void WriteDated(string relativePath, DateTime at)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, "");
        File.SetLastWriteTimeUtc(path, at);
    }
}
