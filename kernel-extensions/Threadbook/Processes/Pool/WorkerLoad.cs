namespace Threadbook.Processes.Pool;

/// <summary>
/// What one worker holds, as <see cref="TakeBackRule"/> reads it: a copy of a few fields, so the rule is pure and can be
/// tested without processes.
/// </summary>
/// <param name="Connected">It connected back and can be sent tasks.</param>
/// <param name="ExitSent">It was told to exit.</param>
/// <param name="RevokeSent">A request for its waiting tasks is unanswered.</param>
/// <param name="TasksSent">Tasks sent to it and not finished (the one it runs, and those waiting behind it).</param>
/// <param name="RunningSince">When the task it runs started (Stopwatch ticks), or null when it reported no start yet.</param>
internal readonly record struct WorkerLoad(bool Connected, bool ExitSent, bool RevokeSent, int TasksSent, long? RunningSince);
