namespace Threadbook.Tests.Processes;

/// <summary>An exception the parent cannot rebuild: its only constructor takes a number, not a message.</summary>
public sealed class UnbuildableException(int code) : Exception($"failure code {code}")
{
    public int Code { get; } = code;
}
