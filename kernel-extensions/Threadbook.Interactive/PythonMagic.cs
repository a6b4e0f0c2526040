using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Threadbook.Python;
using Threadbook.Tracing;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!python</c>: runs the rest of the cell as a Python 3 program in a child process, streaming its output into the
/// cell as it comes, and ends with its exit status and time. The C# kernel never sees the cell's code.
/// </summary>
/// <remarks>
/// Unlike the other magics' <c>--out</c> (see <see cref="OutVariable"/>), this one is opt-in and has no default: it parses
/// the program's last output line as JSON, which only a program written for it prints.
/// </remarks>
public static class PythonMagic
{
    private const double DefaultTimeoutSeconds = 60;

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!python")
        {
            Description = "Run the rest of the cell as a Python 3 program (the notes' originals), streaming its output; a traceback or a non-zero exit fails the cell.",
            Parameters =
            {
                new KernelDirectiveParameter("--timeout", $"Seconds before the program and its children are killed (default {DefaultTimeoutSeconds}).") { TypeHint = "number" },
                new KernelDirectiveParameter("--python", $"The interpreter (default: ${PythonProgram.InterpreterVariable}, else {PythonProgram.DefaultInterpreter}).") { TypeHint = "file" },
                new KernelDirectiveParameter("--out", "A C# variable to receive the program's last output line, parsed as JSON (a JsonNode; null when skipped).") { TypeHint = "name" },
                new KernelDirectiveParameter("--timeline", "Sample the program's OS threads (and its child processes') from /proc while it runs; afterwards draw one lane per thread, on a CPU / asleep / ready, with the share of the time two or more were on a CPU at once.") { Flag = true },
            },
        };

        // The code after the magic line is run as Python instead of C#.
        var takeover = new CellTakeover<PythonCommand>(kernel, (code, options, context) => RunAsync(kernel, code, options, context));

        return MagicRegistration.Add<PythonCommand>(kernel, directive, (command, context) =>
        {
            if (command.Timeout is { } timeout && (timeout <= 0 || double.IsNaN(timeout) || timeout > 3600))
            {
                context.Fail(command, message: $"#!python --timeout must be more than 0 and at most 3600 seconds (got {timeout}).");
                return Task.CompletedTask;
            }

            if (OutVariable.Problem("#!python", command.Out) is { } problem)
            {
                context.Fail(command, message: problem);
                return Task.CompletedTask;
            }

            takeover.Claim(command);
            return Task.CompletedTask;
        });
    }

    private static async Task RunAsync(Kernel kernel, SubmitCode code, PythonCommand options, KernelInvocationContext context)
    {
        var program = new PythonProgram(code.Code)
        {
            Interpreter = string.IsNullOrWhiteSpace(options.Python) ? null : options.Python,
            Timeout = TimeSpan.FromSeconds(options.Timeout ?? DefaultTimeoutSeconds),
            SampleThreads = options.Timeline,
        };

        var result = await program.RunAsync(
            (stream, line) =>
            {
                FormattedValue[] text = [new("text/plain", line)];
                context.Publish(stream == "stderr"
                    ? new StandardErrorValueProduced(code, text)
                    : new StandardOutputValueProduced(code, text));
            },
            context.CancellationToken);

        if (result.Ending == PythonRunEnding.InterpreterNotFound)
        {
            context.Display(new SkippedNotice(result.Summary), "text/html", "text/plain");
            if (options.Out is { } skippedName)
            {
                await OutVariable.SetAsync(kernel, context, skippedName, null, typeof(JsonNode));
            }

            return;
        }

        context.DisplayAs($"[{result.Summary}]", "text/plain");
        if (result.SamplingSkipped is { } reason)
        {
            context.Display(new SkippedNotice($"#!python --timeline: no picture, {reason}; the program ran as usual."), "text/html", "text/plain");
        }
        else if (result.Sampling is { } sampling)
        {
            context.Display(new CpuTimeline(sampling, "The Python program's threads on the CPU"), "text/html", "text/plain");
        }

        if (!result.Succeeded)
        {
            context.Fail(code, message: result.Traceback is { } traceback ? $"Python raised an exception:\n{traceback}" : result.Summary);
            return;
        }

        if (options.Out is { } name)
        {
            JsonNode? value;
            try
            {
                value = PythonProgram.LastLineAsJson(result.Output);
            }
            catch (FormatException e)
            {
                context.Fail(code, message: $"#!python --out {name}: {e.Message}");
                return;
            }

            await OutVariable.SetAsync(kernel, context, name, value, typeof(JsonNode));
        }
    }

    /// <summary>Shown instead of output when no interpreter is found: a skip, not a failure.</summary>
    private sealed class SkippedNotice(string message) : Threadbook.Rendering.IRenderable
    {
        public string ToHtml() => $"<div style=\"border-left:3px solid #57606a;padding-left:8px\">⏭ {WebUtility.HtmlEncode(message)}</div>";

        public string ToText() => $"⏭ {message}";

        public override string ToString() => ToText();
    }
}
