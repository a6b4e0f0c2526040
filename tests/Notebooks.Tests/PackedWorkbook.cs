namespace Notebooks.Tests;

/// <summary>Packs Threadbook into the local feed once for the whole test run, so notebooks load this build.</summary>
public sealed class PackedWorkbook : IAsyncLifetime
{
    public string Version { get; private set; } = "";

    public async Task InitializeAsync() => Version = await Repository.Feed.EnsurePackedAsync(TextWriter.Null);

    public Task DisposeAsync() => Task.CompletedTask;
}

[CollectionDefinition(Name)]
public sealed class PackedWorkbookCollection : ICollectionFixture<PackedWorkbook>
{
    public const string Name = "packed workbook";
}
