namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!trace</c>; its properties are bound from the magic's options.</summary>
public sealed class TraceCommand : MagicCommand
{
    /// <summary><c>--timeout</c>: seconds to wait for the cell's foreground threads to finish (default 10).</summary>
    public double? Timeout { get; set; }

    /// <summary><c>--export</c>: also write the trace as Chrome trace JSON to this file (open it in Perfetto).</summary>
    public string? Export { get; set; }

    /// <summary><c>--no-wait</c>: do not wait for the cell's threads; show what was recorded when the code returns.</summary>
    public bool NoWait { get; set; }

    /// <summary><c>--cpu</c>: also sample the cell's threads from /proc and draw them on a CPU timeline under the trace's.</summary>
    public bool Cpu { get; set; }

    /// <summary><c>--out</c>: the variable that receives the <c>Trace</c> (default <c>trace</c>).</summary>
    public string? Out { get; set; }
}
