namespace Threadbook.Exploration.Execution;

/// <summary>Something an <see cref="ExploredProgram"/> made for one schedule (a <see cref="SharedVariable{T}"/>).</summary>
internal interface IProgramOwned
{
    /// <summary>The program, built for one schedule, that made it.</summary>
    ExploredProgram Program { get; }
}
