namespace Threadbook.Hosting;

/// <summary>What an <see cref="ObservedProcess"/> reads as its standard input.</summary>
public enum ProcessInput
{
    /// <summary>
    /// An empty pipe, closed at once: the program reads end-of-file and never this process's own input (in a notebook
    /// kernel that is the protocol stream).
    /// </summary>
    Empty,

    /// <summary>A pipe kept open: write to it through <see cref="ObservedProcess.StandardInput"/>.</summary>
    Pipe,

    /// <summary>This process's own standard input, shared (a command-line tool run for a person at a terminal).</summary>
    Inherited,
}
