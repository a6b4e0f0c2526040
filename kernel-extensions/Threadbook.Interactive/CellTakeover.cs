using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;

namespace Threadbook.Interactive;

/// <summary>
/// Lets a magic take over the code that follows it in a cell: the kernel splits a cell into the magic's command
/// and a child <see cref="SubmitCode"/> with the rest; for cells marked with <see cref="Claim"/>, that child is
/// handed to the magic instead of the C# kernel (which then never compiles it as it stands).
/// </summary>
internal sealed class CellTakeover<TMagic> where TMagic : MagicCommand
{
    private readonly ConditionalWeakTable<KernelCommand, TMagic> _claimed = new();

    /// <summary>Installs the interception on <paramref name="kernel"/>; <paramref name="run"/> gets the cell's code instead.</summary>
    public CellTakeover(Kernel kernel, Func<SubmitCode, TMagic, KernelInvocationContext, Task> run)
    {
        kernel.AddMiddleware(async (command, context, next) =>
        {
            if (command is SubmitCode code && command.Parent is { } cell && _claimed.TryGetValue(cell, out var magic))
            {
                _claimed.Remove(cell);
                await run(code, magic, context);
                return;
            }

            await next(command, context);
        });
    }

    /// <summary>Marks the cell of <paramref name="magic"/> so its code goes to the magic.</summary>
    public void Claim(TMagic magic)
    {
        if (magic.Parent is { } cell)
        {
            _claimed.AddOrUpdate(cell, magic);
        }
    }
}
