namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!timeit</c>; its properties are bound from the magic's options.</summary>
public sealed class TimeitCommand : MagicCommand
{
    /// <summary><c>-n</c>: how many times to run the code per repeat (default: chosen so a repeat takes ~0.2 s).</summary>
    public int? N { get; set; }

    /// <summary><c>-r</c>: how many repeats (default 7).</summary>
    public int? R { get; set; }

    /// <summary><c>--out</c>: the C# variable that receives the <c>TimeitResult</c> (default <c>timeitResult</c>).</summary>
    public string? Out { get; set; }
}
