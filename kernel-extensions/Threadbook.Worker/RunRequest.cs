namespace Threadbook.Worker;

/// <summary>A <c>Run</c> message: which function, with which arguments (JSON), whether to exit afterwards, and whether it is a chunk (a JSON array of argument arrays, one call each).</summary>
internal sealed record RunRequest(long TaskId, int FunctionId, bool ExitAfter, bool Chunk, byte[] ArgumentsJson);
