using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Charts;
using Threadbook.Measurement;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!threadpool</c>: samples the thread pool while the cell runs, updates a live view during the cell, and
/// leaves the final picture: threads, queued and completed work items over time. The <see cref="ThreadPoolSampler"/>
/// is kept in a variable for the next cell (<c>--out</c>, default <c>threadpool</c>).
/// </summary>
public static class ThreadPoolMagic
{
    private const int DefaultIntervalMilliseconds = 50;
    private const string DefaultVariable = "threadpool";
    private static readonly TimeSpan LiveUpdateEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!threadpool")
        {
            Description = "Watch the thread pool while the cell runs (threads, queued and completed work items), live, then as a chart.",
            Parameters =
            {
                new KernelDirectiveParameter("--interval", $"Milliseconds between samples (10 to 10000, default {DefaultIntervalMilliseconds}).") { TypeHint = "number" },
                OutVariable.Parameter("ThreadPoolSampler", DefaultVariable),
            },
        };

        return MagicRegistration.Add<ThreadPoolCommand>(kernel, directive, (command, context) =>
        {
            if (command.Interval is < 10 or > 10_000)
            {
                context.Fail(command, message: $"#!threadpool --interval must be between 10 and 10000 ms (got {command.Interval}).");
                return Task.CompletedTask;
            }

            if (OutVariable.Problem("#!threadpool", command.Out) is { } problem)
            {
                context.Fail(command, message: problem);
                return Task.CompletedTask;
            }

            // The sampler's thread, started here, carries this cell's context: its live updates reach this cell.
            Microsoft.DotNet.Interactive.Formatting.DisplayedValue? live = null;
            var sampler = new ThreadPoolSampler(
                TimeSpan.FromMilliseconds(command.Interval ?? DefaultIntervalMilliseconds),
                s => live?.Update(s),
                LiveUpdateEvery);
            live = context.Display(sampler, "text/html", "text/plain");
            CellTracking.AfterCodeAsync(command, context, async c =>
            {
                sampler.Stop();
                live.Update(sampler);
                c.Display(MeasurementCharts.Of(sampler, "Thread pool while the cell ran"), "text/html", "text/plain");
                await OutVariable.SetAsync(kernel, c, command.Out ?? DefaultVariable, sampler, typeof(ThreadPoolSampler));
            });
            return Task.CompletedTask;
        });
    }
}
