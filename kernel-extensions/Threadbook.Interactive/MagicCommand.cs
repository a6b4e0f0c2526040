using Microsoft.DotNet.Interactive.Commands;

namespace Threadbook.Interactive;

/// <summary>Base of every Threadbook magic's command: all of them understand <c>--help</c>.</summary>
public abstract class MagicCommand : KernelDirectiveCommand
{
    /// <summary><c>--help</c>: describe the magic and its options instead of running it.</summary>
    public bool Help { get; set; }
}
