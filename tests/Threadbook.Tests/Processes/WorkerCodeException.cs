namespace Threadbook.Tests.Processes;

/// <summary>An exception type declared in worker code (this test assembly): the parent has it loaded, so it can rebuild it.</summary>
public sealed class WorkerCodeException(string message, Exception? innerException) : Exception(message, innerException)
{
}
