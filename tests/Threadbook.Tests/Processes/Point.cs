namespace Threadbook.Tests.Processes;

/// <summary>A record argument and result: copied to the other process as JSON and read back as its own type.</summary>
public sealed record Point(int X, int Y);
