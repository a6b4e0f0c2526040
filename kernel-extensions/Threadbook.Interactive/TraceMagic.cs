using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Introspection;
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
                new KernelDirectiveParameter("--cpu", "Also sample the traced threads from /proc every ~1 ms and draw them under the trace, on a CPU / asleep / ready, with the share of the time two or more were on a CPU at once.") { Flag = true },
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

            // Sampling starts after the trace does, so every thread the trace sees can be matched by its OS id.
            CpuSampler? sampler = null;
            string? noCpu = null;
            if (command.Cpu)
            {
                noCpu = CpuSampler.Unavailable();
                try
                {
                    sampler = noCpu is null ? CpuSampler.Start(Environment.ProcessId) : null;
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
                {
                    noCpu = e.Message;
                }
            }

            CellTracking.AfterCodeAsync(command, context, c => FinishAsync(kernel, run, sampler, noCpu, command, c));
            return Task.CompletedTask;
        });
    }

    private static async Task FinishAsync(
        Kernel kernel, TracedRun run, CpuSampler? sampler, string? noCpu, TraceCommand options, KernelInvocationContext context)
    {
        var wait = options.NoWait ? TimeSpan.Zero : TimeSpan.FromSeconds(options.Timeout ?? DefaultTimeoutSeconds);
        TracedRunResult result;
        CpuSampling? sampling;
        try
        {
            result = run.Finish(wait, context.CancellationToken);
        }
        finally
        {
            sampling = sampler?.Stop();
            sampler?.Dispose();
        }

        context.Display(result.Trace, "text/html", "text/plain");
        if (noCpu is not null)
        {
            context.DisplayAs($"#!trace --cpu: no CPU lanes, {noCpu}.", "text/plain");
        }
        else if (sampling is not null)
        {
            context.Display(CpuLanes(result.Trace, sampling), "text/html", "text/plain");
        }

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

    /// <summary>The sampled lanes of the trace's own threads (matched by OS thread id), named as the trace names them, on the trace's time axis.</summary>
    private static CpuTimeline CpuLanes(Trace trace, CpuSampling sampling)
    {
        var byOsId = trace.Threads.Where(t => t.OsThreadId != 0).GroupBy(t => t.OsThreadId).ToDictionary(g => g.Key, g => g.First());
        var traced = sampling
            .Only(t => t.ProcessId == Environment.ProcessId && byOsId.ContainsKey(t.ThreadId))
            .Renamed(t => byOsId[t.ThreadId] is var thread && thread.ThreadId > 0 ? $"{thread.Name} #{thread.ThreadId}" : thread.Name);
        return new CpuTimeline(traced, $"{trace.Title}: the traced threads on the CPU", trace.StartTimestamp, trace.EndTimestamp);
    }
}
