using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Tracing;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!trace</c>: records what the rest of the cell and the threads it starts do, waits for those threads (as a
/// Python program waits for its non-daemon threads), and shows the timeline and a summary in the cell. The
/// <see cref="Trace"/> is kept in a variable for the next cell (<c>--out</c>, default <c>trace</c>).
/// </summary>
public static class TraceMagic
{
    private const double DefaultTimeoutSeconds = 10;
    private const string DefaultVariable = "trace";

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!trace")
        {
            Description = "Trace the rest of the cell: wait for the threads it starts, then show a timeline (running, waiting, blocked; who woke whom) and a summary.",
            Parameters =
            {
                new KernelDirectiveParameter("--timeout", $"Seconds to wait for the cell's foreground threads (default {DefaultTimeoutSeconds}).") { TypeHint = "number" },
                new KernelDirectiveParameter("--export", "Also write the trace as Chrome trace JSON (open it in https://ui.perfetto.dev).") { TypeHint = "file" },
                new KernelDirectiveParameter("--no-wait", "Don't wait for the cell's threads; show what was recorded when the code returns.") { Flag = true },
                OutVariable.Parameter("Trace", DefaultVariable),
            },
        };

        return MagicRegistration.Add<TraceCommand>(kernel, directive, (command, context) =>
        {
            if (command.Timeout is { } timeout && (timeout < 0 || double.IsNaN(timeout) || timeout > 3600))
            {
                context.Fail(command, message: $"#!trace --timeout must be between 0 and 3600 seconds (got {timeout}).");
                return Task.CompletedTask;
            }

            if (command.Export is { } export && string.IsNullOrWhiteSpace(export))
            {
                context.Fail(command, message: "#!trace --export needs a file name, for example --export trace.json.");
                return Task.CompletedTask;
            }

            if (OutVariable.Problem("#!trace", command.Out) is { } problem)
            {
                context.Fail(command, message: problem);
                return Task.CompletedTask;
            }

            var scope = CellTracking.ScopeFor(command);
            TracedRun run;
            try
            {
                run = TracedRun.Start(scope.Label, scope);
            }
            catch (InvalidOperationException e)
            {
                context.Fail(command, message: $"#!trace could not start: {e.Message}");
                return Task.CompletedTask;
            }

            CellTracking.AfterCodeAsync(command, context, c => FinishAsync(kernel, run, command, c));
            return Task.CompletedTask;
        });
    }

    private static async Task FinishAsync(Kernel kernel, TracedRun run, TraceCommand options, KernelInvocationContext context)
    {
        var wait = options.NoWait ? TimeSpan.Zero : TimeSpan.FromSeconds(options.Timeout ?? DefaultTimeoutSeconds);
        var result = run.Finish(wait, context.CancellationToken);
        context.Display(result.Trace, "text/html", "text/plain");
        if (options.Export is { } path)
        {
            try
            {
                result.Trace.ExportChromeTrace(path);
                context.DisplayAs($"Trace written to {Path.GetFullPath(path)} (open it in https://ui.perfetto.dev).", "text/plain");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                context.DisplayAs($"#!trace could not write {path}: {e.Message}", "text/plain");
            }
        }

        await OutVariable.SetAsync(kernel, context, options.Out ?? DefaultVariable, result.Trace, typeof(Trace));
    }
}
