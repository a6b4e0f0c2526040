namespace Threadbook.Exploration;

/// <summary>What went wrong in a failing schedule.</summary>
public enum BugKind
{
    /// <summary>A check on the final state (<see cref="ExploredProgram.Check"/>) or an assertion in a thread (<see cref="ExploredProgram.Assert"/>) failed.</summary>
    AssertionFailed,

    /// <summary>No thread could go on while some had not finished: each waits for something only another waiting thread could give.</summary>
    Deadlock,

    /// <summary>A virtual thread threw an exception.</summary>
    ThreadException,
}
