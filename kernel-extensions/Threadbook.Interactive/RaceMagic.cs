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
/// several outcomes; correct code has exactly one.
/// </summary>
public static class RaceMagic
{
    /// <summary>The most runs one cell may ask for.</summary>
    public const int MaxRuns = 1000;

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!race")
        {
            Description = "Run the cell N times from scratch and show the distinct values it ended with, with counts: a race shows several outcomes, correct code one.",
            Parameters =
            {
                new KernelDirectiveParameter("--runs", $"How many times to run the cell (1 to {MaxRuns}).") { TypeHint = "number", Required = true },
            },
        };

        var takeover = new CellTakeover<RaceCommand>(kernel, (code, options, context) => RunAsync(kernel, code, options, context));
        return MagicRegistration.Add<RaceCommand>(kernel, directive, (command, context) =>
        {
            if (command.Runs is < 1 or > MaxRuns)
            {
                context.Fail(command, message: $"#!race --runs must be between 1 and {MaxRuns} (got {command.Runs}).");
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

        // The last expression is reported instead of returned, so the N runs do not each show their value.
        var run = before + $"global::Threadbook.Measurement.RaceOutcomes.ReportOutcome({value});";
        var outcomes = new RaceOutcomes(FirstLine(code.Code));
        var progress = context.DisplayAs($"#!race: 0 of {options.Runs} runs", "text/plain");
        for (var number = 1; number <= options.Runs; number++)
        {
            if (context.CancellationToken.IsCancellationRequested)
            {
                context.Display(outcomes, "text/html", "text/plain");
                context.Fail(code, message: $"#!race was cancelled after {number - 1} of {options.Runs} runs.");
                return;
            }

            // Each run is a fresh submission of the same code: its declarations start over.
            var reported = RaceOutcomes.ListenForOutcome();
            var child = new SubmitCode(run, code.TargetKernelName);
            child.SetParent(code, bubbleEvents: false);
            var result = await kernel.SendAsync(child);
            if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
            {
                if (number == 1 && failed.Message.Contains("error CS", StringComparison.Ordinal))
                {
                    context.Fail(code, message: $"#!race: the cell does not compile:\n{failed.Message}");
                    return;
                }

                outcomes.Add("threw " + failed.Message.Split('\n')[0].Trim());
            }
            else
            {
                outcomes.Add(ReferenceEquals(reported.Value, RaceOutcomes.NoOutcome) ? "(no value)" : RaceOutcomes.Describe(reported.Value));
            }

            if (number % 10 == 0 || number == options.Runs)
            {
                progress.Update($"#!race: {number} of {options.Runs} runs, {outcomes.Distinct.Count} distinct outcome(s) so far");
            }
        }

        outcomes.Complete();
        context.Display(outcomes, "text/html", "text/plain");
        context.Display(MeasurementCharts.Of(outcomes), "text/html", "text/plain");
    }

    private static string FirstLine(string code)
    {
        var line = code.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length > 50 ? line[..50] + "…" : line;
    }
}
