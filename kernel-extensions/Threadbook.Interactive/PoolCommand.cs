namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!pool</c>; its properties are bound from the magic's options.</summary>
public sealed class PoolCommand : MagicCommand
{
    /// <summary><c>--processes</c>: how many workers a new pool gets (default: one per core).</summary>
    public int? Processes { get; set; }

    /// <summary><c>--out</c>: the variable that holds the pool (default <c>pool</c>).</summary>
    public string? Out { get; set; }

    /// <summary><c>--interval</c>: at most one live update per this many milliseconds (default 200).</summary>
    public int? Interval { get; set; }
}
