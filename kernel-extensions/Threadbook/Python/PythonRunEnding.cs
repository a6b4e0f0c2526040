namespace Threadbook.Python;

/// <summary>How a Python program's run ended.</summary>
public enum PythonRunEnding
{
    /// <summary>The program exited by itself (see the exit code).</summary>
    Exited,

    /// <summary>The timeout passed; the process tree was killed.</summary>
    TimedOut,

    /// <summary>The run was cancelled; the process tree was killed.</summary>
    Cancelled,

    /// <summary>No interpreter was found; nothing ran.</summary>
    InterpreterNotFound,
}
