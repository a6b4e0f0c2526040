using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Introspection;

namespace Threadbook.Interactive;

/// <summary><c>#!threads</c>: a snapshot of the kernel process's threads and the thread pool.</summary>
public static class ThreadsMagic
{
    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!threads")
        {
            Description = "Show the kernel process's OS threads (id, name, state, CPU time) with the thread pool's counters and the lock contention count.",
            Parameters =
            {
                new KernelDirectiveParameter("--top", "Show only the N threads that used the most CPU time (N ≥ 1).") { TypeHint = "number" },
            },
        };

        return MagicRegistration.Add<ThreadsCommand>(kernel, directive, (command, context) =>
        {
            if (command.Top is < 1)
            {
                context.Fail(command, message: $"#!threads --top must be at least 1 (got {command.Top}).");
                return Task.CompletedTask;
            }

            var snapshot = ProcessThreadsSnapshot.Capture();
            context.Display(command.Top is { } top ? snapshot.Top(top) : snapshot, "text/html", "text/plain");
            return Task.CompletedTask;
        });
    }
}
