namespace Threadbook.Worker;

/// <summary>A <c>Run</c> message: which function, with which arguments (JSON), and whether to exit afterwards.</summary>
internal sealed record RunRequest(long TaskId, int FunctionId, bool ExitAfter, byte[] ArgumentsJson);
