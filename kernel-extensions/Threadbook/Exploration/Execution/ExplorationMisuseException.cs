namespace Threadbook.Exploration.Execution;

/// <summary>
/// Thrown at a scheduling point that the explorer cannot schedule soundly (an object from outside the explored program):
/// it unwinds the virtual thread, and the exploration ends with an <see cref="InvalidOperationException"/> saying why.
/// </summary>
internal sealed class ExplorationMisuseException(string message) : Exception(message);
