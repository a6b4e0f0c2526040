using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.PackageManagement;

namespace Threadbook.Workbook;

/// <summary>
/// Builds an in-process kernel shaped like the one <c>dotnet-interactive</c> gives a notebook: a
/// composite kernel whose C# kernel understands <c>#r "nuget:..."</c>, with kernel helpers and value
/// sharing, and which loads a package's extension the way the tool does.
/// </summary>
public static class WorkbookKernel
{
    /// <summary>Creates the kernel. Dispose it when done.</summary>
    /// <param name="forceRestore">Skip the package manager's on-disk result cache, so a freshly packed build is seen.</param>
    /// <param name="answerInput">
    /// Answers the kernel's input prompts (<c>Kernel.GetInputAsync</c>), given the prompt; null means no answer,
    /// and the cell fails with a message naming the prompt. Without it, every prompt fails that way.
    /// </param>
    public static CompositeKernel Create(bool forceRestore = true, Func<string, string?>? answerInput = null)
    {
        var csharp = new CSharpKernel()
            .UseNugetDirective(
                (kernel, references) =>
                {
                    kernel.AddAssemblyReferences(references.SelectMany(r => r.AssemblyPaths));
                    return Task.CompletedTask;
                },
                forceRestore)
            .UseKernelHelpers()
            .UseValueSharing();

        var composite = new CompositeKernel { csharp };
        composite.DefaultKernelName = csharp.Name;
        PackageExtensionLoader.AttachTo(composite);
        AnswerInputRequests(composite, answerInput ?? (_ => null));
        return composite;
    }

    /// <summary>
    /// A notebook front end asks the person when a cell requests input; headless, the answers come from the
    /// caller. The root kernel handles the request, as the tool's front ends do.
    /// </summary>
    private static void AnswerInputRequests(CompositeKernel kernel, Func<string, string?> answerInput)
    {
        kernel.SetDefaultTargetKernelNameForCommand(typeof(RequestInput), kernel.Name);
        kernel.RegisterCommandHandler<RequestInput>((request, context) =>
        {
            var prompt = request.Prompt ?? "";
            if (answerInput(prompt) is { } answer)
            {
                context.Publish(new InputProduced(answer, request));
            }
            else
            {
                context.Fail(request, message:
                    $"The notebook asked for input (prompt \"{prompt}\") and no answer was given. Run the workbook with " +
                    $"--answer \"{prompt}=VALUE\", or give the notebook a default in its metadata: \"threadbook\": {{ \"inputs\": {{ \"{prompt}\": \"VALUE\" }} }}.");
            }

            return Task.CompletedTask;
        });
    }
}
