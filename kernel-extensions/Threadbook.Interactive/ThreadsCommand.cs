namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!threads</c>; its properties are bound from the magic's options.</summary>
public sealed class ThreadsCommand : MagicCommand
{
    /// <summary><c>--top N</c>: show only the N threads with the most CPU time.</summary>
    public int? Top { get; set; }
}
