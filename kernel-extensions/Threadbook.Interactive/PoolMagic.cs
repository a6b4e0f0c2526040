using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Processes;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!pool</c>: a process pool in a variable (<c>pool</c> unless <c>--out</c> says otherwise), shown live while the
/// cell runs: its workers (pid, state, current task, tasks done), the queue and the counts, the results so far (the last few tasks finished), and each worker's output
/// in a block of its own (the engine's <see cref="PoolLiveView"/>). A running pool already in the variable is reused, so later cells watch the same pool.
/// </summary>
public static class PoolMagic
{
    private const string DefaultName = "pool";
    private const int DefaultIntervalMilliseconds = 200;
    private const int MaxProcesses = 64;

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!pool")
        {
            Description = "Show a ProcessPool live while the cell runs (workers, queue, counts, results so far, each worker's output); makes the pool in the variable `pool` if there is no running one.",
            Parameters =
            {
                new KernelDirectiveParameter("--processes", $"Workers of a new pool (1 to {MaxProcesses}; default one per core). A running pool in the variable is reused.") { TypeHint = "number" },
                new KernelDirectiveParameter("--out", $"The variable that holds the pool (default {DefaultName}).") { TypeHint = "name" },
                new KernelDirectiveParameter("--interval", $"At most one redraw per this many milliseconds (20 to 10000, default {DefaultIntervalMilliseconds}).") { TypeHint = "number" },
            },
        };

        return MagicRegistration.Add<PoolCommand>(kernel, directive, async (command, context) =>
        {
            if (Problem(command) is { } problem)
            {
                context.Fail(command, message: problem);
                return;
            }

            var csharp = (kernel as CompositeKernel)?.ChildKernels.OfType<CSharpKernel>().FirstOrDefault() ?? kernel as CSharpKernel;
            if (csharp is null)
            {
                context.Fail(command, message: "#!pool needs a C# kernel to keep the pool in.");
                return;
            }

            var name = command.Out ?? DefaultName;
            ProcessPool pool;
            var exists = csharp.TryGetValue<object>(name, out var existing);
            if (exists && existing is not null and not ProcessPool)
            {
                context.Fail(command, message:
                    $"#!pool: '{name}' already holds a value of type {existing.GetType().Name}, not a ProcessPool; choose another --out (the pool goes into that variable).");
                return;
            }

            if (existing is ProcessPool { State: ProcessPoolState.Running } running)
            {
                if (command.Processes is { } wanted && wanted != running.Processes)
                {
                    context.Fail(command, message:
                        $"#!pool --processes {wanted}: '{name}' already holds a running pool of {running.Processes}. " +
                        $"Call {name}.Dispose() (or {name}.Close(); {name}.Join();) first, or choose another --out.");
                    return;
                }

                pool = running;
            }
            else
            {
                try
                {
                    pool = new ProcessPool(command.Processes ?? Environment.ProcessorCount);
                }
                catch (FileNotFoundException e)
                {
                    context.Fail(command, message: $"#!pool could not start worker processes: {e.Message}");
                    return;
                }

                await csharp.SetValueAsync(name, pool, typeof(ProcessPool));
            }

            var view = new PoolLiveView(pool);
            var shown = context.Display(view, "text/html", "text/plain");
            view.Start(redraw => shown.Update(redraw), TimeSpan.FromMilliseconds(command.Interval ?? DefaultIntervalMilliseconds));
            CellTracking.AfterCode(command, context, _ => view.Stop());
        });
    }

    private static string? Problem(PoolCommand command)
    {
        if (command.Processes is < 1 or > MaxProcesses)
        {
            return $"#!pool --processes must be between 1 and {MaxProcesses} (got {command.Processes}).";
        }

        if (command.Interval is < 20 or > 10_000)
        {
            return $"#!pool --interval must be between 20 and 10000 ms (got {command.Interval}).";
        }

        if (command.Out is { } name && (!SyntaxFacts.IsValidIdentifier(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None))
        {
            return $"#!pool --out must be a C# variable name, such as pool or workers (got '{name}').";
        }

        return null;
    }
}
