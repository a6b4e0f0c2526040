namespace Threadbook.Hosting;

/// <summary>One line an <see cref="ObservedProcess"/> wrote.</summary>
/// <param name="Pid">The process that wrote it.</param>
/// <param name="Stream"><see cref="StandardOutput"/> or <see cref="StandardError"/>.</param>
/// <param name="Text">The line, without its line break.</param>
public readonly record struct OutputLine(int Pid, string Stream, string Text)
{
    /// <summary>The name of standard output.</summary>
    public const string StandardOutput = "stdout";

    /// <summary>The name of standard error.</summary>
    public const string StandardError = "stderr";

    /// <summary>True for a line written to standard error.</summary>
    public bool IsError => Stream == StandardError;
}
