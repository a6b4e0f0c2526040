using System.Globalization;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Threadbook.Exploration;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!explore</c>: the cell defines a small concurrent program through a variable named <c>program</c> (an
/// <see cref="ExploredProgram"/>: shared variables, threads, checks); the magic hands it to <see cref="Explorer.Explore"/>
/// and shows the result (schedules explored, outcomes with counts, the first failing schedule as a timeline and a step
/// table with what it printed: the explorer keeps the threads' console output per schedule, so the cell does not get it
/// once for every schedule), kept in a variable for the next cell. The same as calling the explorer from the cell, minus the wrapping.
/// </summary>
public static class ExploreMagic
{
    private const string DefaultVariable = "exploration";

    private const string NoProgram = "#!explore needs a program after the magic line: program.Shared(...), program.Thread(...), program.Check(...).";

    private static readonly Dictionary<string, SearchStrategy> Strategies = new(StringComparer.OrdinalIgnoreCase)
    {
        ["exhaustive"] = SearchStrategy.Exhaustive,
        ["random"] = SearchStrategy.RandomWalk,
        ["pct"] = SearchStrategy.Pct,
    };

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!explore")
        {
            Description = "Run the program the cell builds on `program` (shared variables, threads, checks) under every interleaving (or random / PCT ones), and show the outcomes and the first failing schedule step by step, with what its threads printed.",
            Parameters =
            {
                new KernelDirectiveParameter("--strategy", "exhaustive (default: every schedule, equivalent orders once), random (a random walk) or pct (priority changes).") { TypeHint = "name" },
                new KernelDirectiveParameter("--schedules", $"The most schedules to run (default {ExplorationOptions.Default.MaxSchedules:N0}).") { TypeHint = "number" },
                new KernelDirectiveParameter("--max-steps", $"The most steps per schedule (default {ExplorationOptions.Default.MaxSteps}).") { TypeHint = "number" },
                new KernelDirectiveParameter("--seed", "The seed of random and pct: the same seed explores the same schedules (default 0).") { TypeHint = "number" },
                new KernelDirectiveParameter("--depth", $"PCT's bug depth (default {ExplorationOptions.Default.PctDepth}).") { TypeHint = "number" },
                new KernelDirectiveParameter("--stop-at-first-bug", "Stop at the first failing schedule.") { Flag = true },
                OutVariable.Parameter("ExplorationResult", DefaultVariable),
            },
        };

        var takeover = new CellTakeover<ExploreCommand>(kernel, (code, options, context) => RunAsync(kernel, code, options, context));
        return MagicRegistration.Add<ExploreCommand>(kernel, directive, (command, context) =>
        {
            if (Problem(command) is { } problem)
            {
                context.Fail(command, message: $"#!explore {problem}");
            }
            else if (command.Parent is SubmitCode cell && !HasCodeAfterMagics(cell.Code))
            {
                // With nothing after the magic line the kernel sends no code on, so the takeover would never run.
                context.Fail(command, message: NoProgram);
            }
            else
            {
                takeover.Claim(command);
            }

            return Task.CompletedTask;
        });
    }

    private static string? Problem(ExploreCommand command) => command switch
    {
        { Strategy: { } name } when !Strategies.ContainsKey(name) => $"--strategy must be exhaustive, random or pct (got '{name}').",
        { Schedules: < 1 or > 10_000_000 } => $"--schedules must be between 1 and 10,000,000 (got {command.Schedules}).",
        { MaxSteps: < 1 or > 1_000_000 } => $"--max-steps must be between 1 and 1,000,000 (got {command.MaxSteps}).",
        { Depth: < 1 or > 100 } => $"--depth must be between 1 and 100 (got {command.Depth}).",
        { Out: { } name } when !OutVariable.IsName(name) => $"--out needs a C# variable name, got '{name}'.",
        _ => null,
    };

    /// <summary>True when some line of the cell is neither blank nor a magic command.</summary>
    private static bool HasCodeAfterMagics(string cell) =>
        cell.Split('\n').Any(line => !string.IsNullOrWhiteSpace(line) && !line.TrimStart().StartsWith("#!", StringComparison.Ordinal));

    private static async Task RunAsync(Kernel kernel, SubmitCode code, ExploreCommand options, KernelInvocationContext context)
    {
        var (usings, body) = MagicArguments.SplitUsings(code.Code);
        if (string.IsNullOrWhiteSpace(body))
        {
            context.Fail(code, message: NoProgram);
            return;
        }

        var variable = options.Out ?? DefaultVariable;
        var child = new SubmitCode(
            $"{usings}var {variable} = global::Threadbook.Exploration.Explorer.Explore(program =>\n{{\n{CellCode.AsStatements(body)}\n}}, {Options(options)});\n{variable}",
            code.TargetKernelName);
        child.SetParent(code, bubbleEvents: true);
        var result = await kernel.SendAsync(child);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            context.Fail(code, message: $"#!explore: {WithoutStackTrace(failed.Message)}");
        }
    }

    /// <summary>The explorer's messages say what to change; the stack through the explorer and the script engine does not.</summary>
    private static string WithoutStackTrace(string message) =>
        string.Join('\n', message.Split('\n').TakeWhile(line => !line.TrimStart().StartsWith("at ", StringComparison.Ordinal))).TrimEnd();

    /// <summary>The <c>ExplorationOptions</c> initializer the magic's options stand for.</summary>
    private static string Options(ExploreCommand options)
    {
        var settings = new List<string>
        {
            "CancellationToken = global::Microsoft.DotNet.Interactive.KernelInvocationContext.Current.CancellationToken",
        };
        if (options.Strategy is { } name)
        {
            settings.Add($"Strategy = global::Threadbook.Exploration.SearchStrategy.{Strategies[name]}");
        }

        Add("MaxSchedules", options.Schedules);
        Add("MaxSteps", options.MaxSteps);
        Add("Seed", options.Seed);
        Add("PctDepth", options.Depth);
        if (options.StopAtFirstBug)
        {
            settings.Add("StopAtFirstBug = true");
        }

        return $"new global::Threadbook.Exploration.ExplorationOptions {{ {string.Join(", ", settings)} }}";

        void Add(string property, int? value)
        {
            if (value is { } number)
            {
                settings.Add($"{property} = {number.ToString(CultureInfo.InvariantCulture)}");
            }
        }
    }
}
