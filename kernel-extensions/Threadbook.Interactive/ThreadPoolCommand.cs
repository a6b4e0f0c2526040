namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!threadpool</c>; its properties are bound from the magic's options.</summary>
public sealed class ThreadPoolCommand : MagicCommand
{
    /// <summary><c>--interval</c>: milliseconds between samples (default 50).</summary>
    public int? Interval { get; set; }

    /// <summary><c>--out</c>: the variable that receives the <c>ThreadPoolSampler</c> (default <c>threadpool</c>).</summary>
    public string? Out { get; set; }
}
