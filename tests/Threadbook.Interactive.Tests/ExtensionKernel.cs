using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Threadbook.Interactive;
using Threadbook.Workbook;

namespace Threadbook.Interactive.Tests;

/// <summary>
/// A kernel with Threadbook loaded the way the package loads it: the extension assembly referenced, then
/// the package's own extension.dib run. Shared by the tests of a class (kernel start-up takes seconds).
/// </summary>
public sealed class ExtensionKernel : IAsyncLifetime
{
    private CompositeKernel? _kernel;

    public CompositeKernel Kernel => _kernel ?? throw new InvalidOperationException("The kernel is not started.");

    /// <summary>Every event the extension's load produced (its banner among them).</summary>
    public IReadOnlyList<KernelEvent> LoadEvents { get; private set; } = [];

    /// <summary>
    /// Stands in for the process's real stdout: installed before the first kernel exists, so whatever reaches it
    /// would, in a real kernel, have gone to the kernel process's own stdout.
    /// </summary>
    public static StringWriter ProcessStdout { get; } = InstallProcessStdout();

    private static StringWriter InstallProcessStdout()
    {
        var writer = new StringWriter();
        Console.SetOut(TextWriter.Synchronized(writer));
        return writer;
    }

    public async Task InitializeAsync()
    {
        _ = ProcessStdout;
        Formatter.ResetToDefault();
        _kernel = WorkbookKernel.Create();
        _kernel.ChildKernels.OfType<CSharpKernel>().Single()
            .AddAssemblyReferences([typeof(ThreadbookExtension).Assembly.Location, typeof(Threadbook.Rendering.IRenderable).Assembly.Location, typeof(XPlot.Plotly.PlotlyChart).Assembly.Location]);

        var script = new FileInfo(Path.Combine(AppContext.BaseDirectory, "extension.dib"));
        script.Exists.Should().BeTrue("extension.dib is copied next to the extension assembly, as the package carries it");
        LoadEvents = await CollectAsync(() => _kernel.LoadAndRunInteractiveDocument(script));
    }

    /// <summary>Submits a cell as a user types it; returns every event published while it ran.</summary>
    public Task<IReadOnlyList<KernelEvent>> SubmitAsync(string code) =>
        CollectAsync(() => Kernel.SendAsync(new SubmitCode(code)));

    private async Task<IReadOnlyList<KernelEvent>> CollectAsync(Func<Task> run)
    {
        var events = new List<KernelEvent>();
        using (Kernel.KernelEvents.Subscribe(e => { lock (events) { events.Add(e); } }))
        {
            await run();
        }

        lock (events)
        {
            return events.ToArray();
        }
    }

    public Task DisposeAsync()
    {
        _kernel?.Dispose();
        Formatter.ResetToDefault();
        return Task.CompletedTask;
    }
}
