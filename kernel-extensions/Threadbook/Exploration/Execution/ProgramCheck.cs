namespace Threadbook.Exploration.Execution;

/// <summary>One claim about an <see cref="ExploredProgram"/>'s final state.</summary>
internal sealed record ProgramCheck(Func<bool> Invariant, string Claim);
