namespace Threadbook.Exploration.Execution;

/// <summary>One thread of an <see cref="ExploredProgram"/>: its name and what it runs.</summary>
internal sealed record ProgramThread(string Name, Action Body);
