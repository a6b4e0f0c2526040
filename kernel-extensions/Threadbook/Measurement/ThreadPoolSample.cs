namespace Threadbook.Measurement;

/// <summary>The thread pool's counters at one moment of a sampling run.</summary>
/// <param name="At">Time since sampling started.</param>
/// <param name="Threads">Pool threads that existed.</param>
/// <param name="Queued">Work items waiting for a thread.</param>
/// <param name="Completed">Work items completed since sampling started.</param>
public readonly record struct ThreadPoolSample(TimeSpan At, int Threads, long Queued, long Completed);
