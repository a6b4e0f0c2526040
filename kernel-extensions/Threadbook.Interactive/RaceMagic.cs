using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Threadbook.Charts;
using Threadbook.Measurement;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!race --runs N</c>: runs the cell N times, each run from scratch (the cell's own declarations make its
/// state), collects each run's value, and shows the distinct outcomes with their counts. A race shows up as
/// several outcomes; correct code has exactly one. The runs and the tally are <see cref="RaceRunner"/>'s; each run
/// keeps its value in a variable of the C# kernel, read back after the run. The <see cref="RaceOutcomes"/> are kept in a variable for the next cell
/// (<c>--out</c>, default <c>race</c>).
/// </summary>
public static class RaceMagic
{
    /// <summary>The most runs one cell may ask for.</summary>
    public const int MaxRuns = 1000;

    private const string DefaultVariable = "race";

    /// <summary>Where a run leaves the value it ended with (read back from the kernel after each run).</summary>
    private const string RunValueVariable = "__threadbookRaceValue";

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!race")
        {
            Description = "Run the cell N times from scratch and show the distinct values it ended with, with counts: a race shows several outcomes, correct code one.",
            Parameters =
            {
                new KernelDirectiveParameter("--runs", $"How many times to run the cell (1 to {MaxRuns}).") { TypeHint = "number", Required = true },
                OutVariable.Parameter("RaceOutcomes", DefaultVariable),
            },
        };

        var takeover = new CellTakeover<RaceCommand>(kernel, (code, options, context) => RunAsync(kernel, code, options, context));
        return MagicRegistration.Add<RaceCommand>(kernel, directive, (command, context) =>
        {
            if (command.Runs is < 1 or > MaxRuns)
            {
                context.Fail(command, message: $"#!race --runs must be between 1 and {MaxRuns} (got {command.Runs}).");
            }
            else if (OutVariable.Problem("#!race", command.Out) is { } problem)
            {
                context.Fail(command, message: problem);
            }
            else
            {
                takeover.Claim(command);
            }

            return Task.CompletedTask;
        });
    }

    private static async Task RunAsync(Kernel kernel, SubmitCode code, RaceCommand options, KernelInvocationContext context)
    {
        if (string.IsNullOrWhiteSpace(code.Code))
        {
            context.Fail(code, message: "#!race needs code to run after the magic line; its last expression is the outcome.");
            return;
        }

        var (before, value) = CellCode.SplitTrailingValue(code.Code);
        if (value is null)
        {
            context.Fail(code, message: "#!race needs the cell to end with an expression (no semicolon): the value each run ends with, e.g. `count`.");
            return;
        }

        // The last expression is assigned instead of returned: a run's return value would reach the kernel's event
        // stream (child events do not bubble into the cell, but a front end reading that stream shows them), once per run.
        var run = before + $"object {RunValueVariable} = ({value});";
        var csharp = OutVariable.CSharpKernelOf(kernel);

        // A cell that does not compile fails its first run; that stops the runs and fails the cell instead of being an outcome.
        string? doesNotCompile = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        var progress = context.DisplayAs($"#!race: 0 of {options.Runs} runs", "text/plain");
        var outcomes = await RaceRunner.RunAsync(
            options.Runs,
            async (number, cancellation) =>
            {
                // Each run is a fresh submission of the same code: its declarations start over.
                var child = new SubmitCode(run, code.TargetKernelName);
                child.SetParent(code, bubbleEvents: false);
                var result = await kernel.SendAsync(child);
                if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
                {
                    if (number == 1 && failed.Message.Contains("error CS", StringComparison.Ordinal))
                    {
                        doesNotCompile = failed.Message;
                        await stop.CancelAsync();
                    }

                    cancellation.ThrowIfCancellationRequested();
                    throw failed.Exception ?? new InvalidOperationException(failed.Message);
                }

                return csharp.TryGetValue<object?>(RunValueVariable, out var ended) ? ended : "(no value)";
            },
            FirstLine(code.Code),
            soFar =>
            {
                if (soFar.Runs.Count % 10 == 0 || soFar.Runs.Count == options.Runs)
                {
                    progress.Update($"#!race: {soFar.Runs.Count} of {options.Runs} runs, {soFar.Distinct.Count} distinct outcome(s) so far");
                }
            },
            stop.Token);

        if (doesNotCompile is not null)
        {
            context.Fail(code, message: $"#!race: the cell does not compile:\n{doesNotCompile}");
            return;
        }

        context.Display(outcomes, "text/html", "text/plain");
        await OutVariable.SetAsync(kernel, context, options.Out ?? DefaultVariable, outcomes, typeof(RaceOutcomes));
        if (outcomes.Cancelled)
        {
            context.Fail(code, message: $"#!race was cancelled after {outcomes.Runs.Count} of {options.Runs} runs.");
            return;
        }

        context.Display(MeasurementCharts.Of(outcomes), "text/html", "text/plain");
    }

    private static string FirstLine(string code)
    {
        var line = code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length > 50 ? line[..50] + "…" : line;
    }
}
