namespace Threadbook.Interactive;

/// <summary>The command behind <c>#!race</c>; its properties are bound from the magic's options.</summary>
public sealed class RaceCommand : MagicCommand
{
    /// <summary><c>--runs</c>: how many times to run the cell.</summary>
    public int Runs { get; set; }

    /// <summary><c>--out</c>: the variable that receives the <c>RaceOutcomes</c> (default <c>race</c>).</summary>
    public string? Out { get; set; }
}
