using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Directives;
using Threadbook.Rendering;

namespace Threadbook.Interactive;

/// <summary>
/// Adds a magic to a kernel the same way for every magic: with a <c>--help</c> flag that shows the
/// magic's description and options, because this version of .NET Interactive has no built-in help.
/// </summary>
internal static class MagicRegistration
{
    public static KernelActionDirective Add<TCommand>(
        Kernel kernel,
        KernelActionDirective directive,
        Func<TCommand, KernelInvocationContext, Task> handler)
        where TCommand : MagicCommand
    {
        directive.Parameters.Add(new KernelDirectiveParameter("--help", "Describe this magic command and its options.") { Flag = true });
        kernel.AddDirective<TCommand>(directive, (command, context) =>
        {
            if (command.Help)
            {
                context.Display(new MagicHelp(directive), "text/html", "text/plain");
                return Task.CompletedTask;
            }

            return handler(command, context);
        });
        return directive;
    }

    /// <summary>The help text of one magic.</summary>
    private sealed class MagicHelp(KernelActionDirective directive) : IRenderable
    {
        private Table Options()
        {
            var table = new Table("option", "what it does") { Caption = $"{directive.Name}: {directive.Description}" };
            foreach (var parameter in directive.Parameters)
            {
                var name = parameter.Flag ? parameter.Name : $"{parameter.Name} <{parameter.TypeHint ?? "value"}>";
                table.AddRow(name, parameter.Description);
            }

            return table;
        }

        public string ToHtml() => Options().ToHtml();

        public string ToText() => Options().ToText();

        public override string ToString() => ToText();
    }
}
