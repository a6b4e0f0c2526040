using Microsoft.CodeAnalysis.CSharp;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Directives;

namespace Threadbook.Interactive;

/// <summary>
/// The one convention for what a magic leaves behind: a C# variable named by its <c>--out NAME</c>, with a default
/// per magic (<c>#!trace</c> → <c>trace</c>, <c>#!race</c> → <c>race</c>, <c>#!threadpool</c> → <c>threadpool</c>,
/// <c>#!timeit</c> → <c>timeitResult</c>, <c>#!explore</c> → <c>exploration</c>). The engine keeps no "last result"
/// for a magic: the next cell reads the variable.
/// </summary>
/// <remarks>
/// <c>#!python --out</c> is opt-in on purpose and has no default: it parses the program's last output line as JSON,
/// which only a program written for it prints.
/// </remarks>
internal static class OutVariable
{
    /// <summary>The <c>--out</c> option of a magic whose result is a <paramref name="typeName"/>.</summary>
    public static KernelDirectiveParameter Parameter(string typeName, string defaultName) =>
        new("--out", $"The variable that receives the {typeName} (default {defaultName}).") { TypeHint = "name" };

    /// <summary>True when <paramref name="name"/> can name a C# variable (an identifier that is not a keyword).</summary>
    public static bool IsName(string name) => SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

    /// <summary>What is wrong with <c>--out <paramref name="name"/></c> of <paramref name="magic"/>, or null when it is usable.</summary>
    public static string? Problem(string magic, string? name) =>
        name is not null && !IsName(name) ? $"{magic} --out needs a C# variable name, got '{name}'." : null;

    /// <summary>
    /// Declares <paramref name="name"/> as a <paramref name="type"/> in the C# kernel and gives it <paramref name="value"/>,
    /// unless the cell was cancelled: the kernel may then already run the next cell, and writing its state would race it.
    /// </summary>
    public static async Task SetAsync(Kernel kernel, KernelInvocationContext context, string name, object? value, Type type)
    {
        if (!context.CancellationToken.IsCancellationRequested)
        {
            await CSharpKernelOf(kernel).SetValueAsync(name, value!, type);
        }
    }

    /// <summary>The C# kernel the magics' variables live in: <paramref name="kernel"/> itself or its C# child.</summary>
    public static CSharpKernel CSharpKernelOf(Kernel kernel) =>
        kernel as CSharpKernel ?? (kernel as CompositeKernel)?.ChildKernels.OfType<CSharpKernel>().FirstOrDefault()
        ?? throw new InvalidOperationException("There is no C# kernel to keep a magic's variables in.");
}
