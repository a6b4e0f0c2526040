using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Directives;
using Microsoft.DotNet.Interactive.Events;
using Threadbook.Processes;
using Threadbook.Rendering;

namespace Threadbook.Interactive;

/// <summary>
/// <c>#!worker</c>: the cell's classes become code that child processes can run. A cell is compiled in memory, which
/// another process cannot load, so this magic also compiles the cell with Roslyn into an assembly on disk for the
/// worker processes, registers where each class lives, and then defines the same classes in the kernel as usual.
/// </summary>
public static class WorkerMagic
{
    private static readonly string OutputFolder = Path.Combine(Path.GetTempPath(), "threadbook-worker-code", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static int s_compiled;

    /// <summary>The file name worker code's stack traces and compile errors give, e.g. <c>in #!worker cell:line 5</c>.</summary>
    private const string DocumentName = "#!worker cell";

    /// <summary>Adds the magic to <paramref name="kernel"/> and returns its description.</summary>
    public static KernelActionDirective AddTo(Kernel kernel)
    {
        var directive = new KernelActionDirective("#!worker")
        {
            Description = "Define classes (no namespace, no top-level statements) whose public static methods child processes and process pools can run.",
        };

        // The engine's errors then name this host's way to declare worker code, as they did when they spoke only of notebooks.
        WorkerAssemblies.WhereToDeclareWorkerCode = "in a #!worker cell";
        WorkerAssemblies.CodeCompiledInMemory = "a plain notebook cell";
        var takeover = new CellTakeover<WorkerCommand>(kernel, (code, _, context) => CompileAsync(kernel, code, context));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteOutput();
        return MagicRegistration.Add<WorkerCommand>(kernel, directive, (command, _) =>
        {
            takeover.Claim(command);
            return Task.CompletedTask;
        });
    }

    private static async Task CompileAsync(Kernel kernel, SubmitCode code, KernelInvocationContext context)
    {
        // A #line directive makes the compiler count lines as the notebook shows them and name the document after the
        // cell: compile errors and the worker's stack traces (through the embedded PDB) then say "#!worker cell:line N".
        var source = SourceText.From($"#line {FirstLineInCell(code)} \"{DocumentName}\"\n{code.Code}", Encoding.UTF8);
        var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview), path: DocumentName);
        var types = ((CompilationUnitSyntax)tree.GetRoot()).Members.OfType<BaseTypeDeclarationSyntax>().ToList();
        if (types.Count == 0)
        {
            context.Fail(code, message: "#!worker needs at least one class with public static methods, e.g.\npublic static class Jobs\n{\n    public static int Foo(int i) => i + 100;\n}");
            return;
        }

        var name = $"ThreadbookWorkerCode{Interlocked.Increment(ref s_compiled)}_{Hash(code.Code)}";
        var compilation = CSharpCompilation.Create(
            name,
            [tree],
            References(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));

        Directory.CreateDirectory(OutputFolder);
        var path = Path.Combine(OutputFolder, name + ".dll");
        EmitResult emitted;
        using (var assembly = File.Create(path))
        {
            emitted = compilation.Emit(assembly, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded));
        }

        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!emitted.Success)
        {
            File.Delete(path);
            context.Fail(code, message: "#!worker: the cell does not compile:\n" + string.Join("\n", errors.Select(Describe)));
            return;
        }

        var typeNames = types.Select(t => t.Identifier.Text).ToList();
        foreach (var typeName in typeNames)
        {
            WorkerAssemblies.Register(typeName, path);
        }

        // The same classes in the kernel, so cells can call them (and pass them to a pool) as usual.
        var child = new SubmitCode(code.Code, code.TargetKernelName);
        child.SetParent(code, bubbleEvents: true);
        var result = await kernel.SendAsync(child);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault() is { } failed)
        {
            context.Fail(code, message: $"#!worker: compiled for the workers, but the kernel could not define the classes: {failed.Message}");
            return;
        }

        context.Display(new WorkerCodeCompiled(typeNames, path), "text/html", "text/plain");

        // Worker code means child processes or a pool are coming: start the spare workers now, off the kernel's thread,
        // so the first child or pool answers in tens of milliseconds rather than after a .NET start-up.
        ThreadPool.UnsafeQueueUserWorkItem(static _ => WarmWorkers.Prestart(), null);
    }

    /// <summary>Framework assemblies and Threadbook's engine: what worker code may use.</summary>
    private static IEnumerable<MetadataReference> References()
    {
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return platform
            .Append(typeof(WorkerAssemblies).Assembly.Location)
            .Where(File.Exists)
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
    }

    /// <summary>A diagnostic with the line as the notebook shows it (the #line directive already counts the magic's lines).</summary>
    private static string Describe(Microsoft.CodeAnalysis.Diagnostic diagnostic)
    {
        var position = diagnostic.Location.GetMappedLineSpan().StartLinePosition;
        return $"cell line {position.Line + 1}, column {position.Character + 1}: {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The cell line (1-based) where the code after the magic starts: found in the whole cell's text, so lines before the
    /// magic or blank lines the parser dropped still count; 2 (just after a first-line magic) when the cell is not known.
    /// </summary>
    private static int FirstLineInCell(SubmitCode code)
    {
        if (code.Parent is SubmitCode cell && code.Code.Length > 0 && cell.Code.LastIndexOf(code.Code, StringComparison.Ordinal) is var start and >= 0)
        {
            return cell.Code.AsSpan(0, start).Count('\n') + 1;
        }

        return 2;
    }

    private static string Hash(string code) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)))[..8];

    private static void DeleteOutput()
    {
        try
        {
            if (Directory.Exists(OutputFolder))
            {
                Directory.Delete(OutputFolder, recursive: true);
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>What the magic shows after compiling.</summary>
    private sealed class WorkerCodeCompiled(IReadOnlyList<string> types, string path) : IRenderable
    {
        private string Summary => $"Worker code ready: {string.Join(", ", types)} — compiled to {Path.GetFileName(path)} for child processes, and defined in this kernel.";

        public string ToHtml() => $"<div>{WebUtility.HtmlEncode(Summary)}</div>";

        public string ToText() => Summary;

        public override string ToString() => ToText();
    }
}
