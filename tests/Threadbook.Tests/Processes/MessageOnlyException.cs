namespace Threadbook.Tests.Processes;

/// <summary>An exception with a (message) constructor only: the rebuilt one keeps the remote side in its Data.</summary>
public sealed class MessageOnlyException(string message) : Exception(message)
{
}
