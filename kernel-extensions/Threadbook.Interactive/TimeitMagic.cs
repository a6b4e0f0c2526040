using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Threadbook.Measurement;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!timeit</c>: IPython's <c>%%timeit</c> for a C# cell. The cell's code is compiled once into a lambda and
/// timed by <see cref="TimeIt"/>; the result is shown and kept in a variable for the next cell.
/// </summary>
public static class TimeitMagic
{
    private const int DefaultRepeats = 7;
    private const string DefaultVariable = "timeitResult";

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!timeit")
        {
            Description = "Time the cell's code like IPython's %timeit: mean ± std. dev. per loop over repeats, and allocations per loop; the result is kept in a variable.",
            Parameters =
            {
                new KernelDirectiveParameter("-n", "Loops per repeat (default: chosen so one repeat takes about 0.2 s).") { TypeHint = "number" },
                new KernelDirectiveParameter("-r", $"Repeats (default {DefaultRepeats}).") { TypeHint = "number" },
                OutVariable.Parameter("TimeitResult", DefaultVariable),
            },
        };

        var takeover = new CellTakeover<TimeitCommand>(kernel, (code, options, context) => RunAsync(kernel, code, options, context));
        return MagicRegistration.Add<TimeitCommand>(kernel, directive, (command, context) =>
        {
            if (command.N is < 1 or > 1_000_000_000)
            {
                context.Fail(command, message: $"#!timeit -n must be between 1 and 1,000,000,000 loops (got {command.N}).");
            }
            else if (command.R is < 1 or > 1000)
            {
                context.Fail(command, message: $"#!timeit -r must be between 1 and 1000 repeats (got {command.R}).");
            }
            else if (OutVariable.Problem("#!timeit", command.Out) is { } problem)
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

    private static async Task RunAsync(Kernel kernel, SubmitCode code, TimeitCommand options, KernelInvocationContext context)
    {
        var (usings, body) = MagicArguments.SplitUsings(code.Code);
        if (string.IsNullOrWhiteSpace(body))
        {
            context.Fail(code, message: "#!timeit needs code to time after the magic line.");
            return;
        }

        var variable = options.Out ?? DefaultVariable;
        var loops = options.N?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        var repeats = options.R ?? DefaultRepeats;
        string Wrap(string statements) =>
            $"{usings}var {variable} = global::Threadbook.Measurement.TimeIt.Measure(() =>\n{{\n{statements}\n}}, {loops}, {repeats}, " +
            $"global::Microsoft.DotNet.Interactive.KernelInvocationContext.Current.CancellationToken);\n{variable}";

        // The timed body is a lambda's statements; the child's own value (the result) is what the cell shows.
        var child = new SubmitCode(Wrap(CellCode.AsStatements(body)), code.TargetKernelName);
        child.SetParent(code, bubbleEvents: true);
        var result = await kernel.SendAsync(child);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            context.Fail(code, message: $"#!timeit: {failed.Message}");
        }
    }
}
