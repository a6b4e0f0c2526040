using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Microsoft.DotNet.Interactive.Utility;
using Threadbook.Cells;
using Threadbook.Tracing;

namespace Threadbook.Interactive;

/// <summary>
/// Connects Threadbook's cell scopes to .NET Interactive: every submitted cell gets a <see cref="RunScope"/> (so
/// the threads it starts are known), console output and displays that arrive after their cell ended are kept
/// and shown at the top of the next cell, and an exception that escapes a thread is reported in its cell (or
/// the next one) instead of killing the kernel.
/// </summary>
internal sealed class CellTracking
{
    private static readonly object InstallGate = new();
    // Kept output and reports wait for the next cell of the kernel their cell belonged to (a process can host
    // several kernels one after another, as the workbook runner does).
    private static readonly ConcurrentQueue<(Kernel? Kernel, LateOutput Output)> Kept = new();
    private static readonly ConcurrentQueue<(Kernel? Kernel, ThreadExceptionReport Report)> PendingExceptions = new();
    private static readonly ConditionalWeakTable<KernelCommand, RunScope> ScopeByCell = new();
    private static readonly ConditionalWeakTable<KernelCommand, object> ReportedInCell = new();
    private static readonly ConditionalWeakTable<KernelCommand, List<Func<KernelInvocationContext, Task>>> Finishers = new();
    private static TextWriter? s_outRouter;
    private static TextWriter? s_errorRouter;
    private static bool s_processWideInstalled;
    private static int s_cellCount;

    /// <summary>Adds cell tracking to <paramref name="kernel"/> (and, once per process, the console routers and the thread safety net).</summary>
    public static void Install(Kernel kernel)
    {
        lock (InstallGate)
        {
            if (!s_processWideInstalled)
            {
                ThreadSafetyNet.Install(OnThreadException);
                Formatter.SubscribeToDisplayedValues(OnDisplayedValue);
                RouteOriginalConsoleWriters();
                s_processWideInstalled = true;
            }
        }

        kernel.RegisterForDisposal(() => Forget(kernel));
        kernel.AddMiddleware(async (command, context, next) =>
        {
            if (command is not (SubmitCode or KernelDirectiveCommand))
            {
                await next(command, context);
                return;
            }

            var cell = Root(command);
            var scope = ScopeFor(cell);
            if (ReportedInCell.TryAdd(cell, true))
            {
                context.OnComplete(_ => scope.Complete());
                ShowWhatArrivedLate(context);
            }

            if (command is SubmitCode code && Finishers.TryGetValue(cell, out var finishers) && !ReportedInCell.TryGetValue(command, out _) && command != cell)
            {
                // A failed command can show nothing more, so when a magic must show something after the code
                // (a trace, a chart), the code runs as a child command: when it fails, the magic still shows its
                // result, and then the cell fails with the child's error.
                await RunThenFinishAsync(kernel, code, finishers, context);
                return;
            }

            if (command is SubmitCode)
            {
                RouteCellConsoleWriters();
                scope.HostState = context;
                RunScope.Enter(scope);
                TraceRecorder.Mark("cell code starts");
            }

            await next(command, context);
        });
    }

    private static async Task RunThenFinishAsync(Kernel kernel, SubmitCode code, List<Func<KernelInvocationContext, Task>> finishers, KernelInvocationContext context)
    {
        var child = new SubmitCode(code.Code, code.TargetKernelName);
        child.SetParent(code, bubbleEvents: true);
        ReportedInCell.AddOrUpdate(child, true);
        var result = await kernel.SendAsync(child);
        await RunFinishersAsync(finishers, context);
        if (result.Events.OfType<CommandFailed>().FirstOrDefault(f => ReferenceEquals(f.Command, child)) is { } failed)
        {
            context.Fail(code, failed.Exception, failed.Message);
        }
    }

    /// <summary>
    /// Registers <paramref name="finish"/> to run once after the code of <paramref name="magic"/>'s cell, whether the
    /// code succeeds or fails (or, for a cell with no code after its magics, when the cell completes).
    /// </summary>
    public static void AfterCode(KernelCommand magic, KernelInvocationContext context, Action<KernelInvocationContext> finish) =>
        AfterCodeAsync(magic, context, c =>
        {
            finish(c);
            return Task.CompletedTask;
        });

    /// <summary>Like <see cref="AfterCode"/>, for a finish that awaits (such as setting the magic's <c>--out</c> variable).</summary>
    public static void AfterCodeAsync(KernelCommand magic, KernelInvocationContext context, Func<KernelInvocationContext, Task> finish)
    {
        var finishers = Finishers.GetValue(Root(magic), _ => []);
        lock (finishers)
        {
            finishers.Add(finish);
        }

        // Completion callbacks cannot await; finishers are still due here only in a cell with nothing after its magics.
        context.OnComplete(c => RunFinishersAsync(finishers, c).GetAwaiter().GetResult());
    }

    private static async Task RunFinishersAsync(List<Func<KernelInvocationContext, Task>> finishers, KernelInvocationContext context)
    {
        Func<KernelInvocationContext, Task>[] due;
        lock (finishers)
        {
            due = [.. finishers];
            finishers.Clear();
        }

        foreach (var finish in due)
        {
            try
            {
                await finish(context);
            }
            catch (Exception e)
            {
                context.DisplayAs($"Threadbook could not finish a magic of this cell: {e.GetType().Name}: {e.Message}", "text/plain");
            }
        }
    }

    /// <summary>The scope of the cell <paramref name="command"/> belongs to (a magic's command or the cell's code).</summary>
    public static RunScope ScopeFor(KernelCommand command) =>
        ScopeByCell.GetValue(Root(command), cell => RunScope.Create(LabelFor(cell)));

    private static KernelCommand Root(KernelCommand command)
    {
        while (command.Parent is { } parent)
        {
            command = parent;
        }

        return command;
    }

    private static string LabelFor(KernelCommand cell)
    {
        var number = Interlocked.Increment(ref s_cellCount);
        var firstLine = (cell as SubmitCode)?.Code
            .Split('\n')
            .Select(l => l.Trim())
            .FirstOrDefault(l => l.Length > 0 && !l.StartsWith("#!", StringComparison.Ordinal));
        if (firstLine is null)
        {
            return $"cell {number}";
        }

        return $"cell {number} ({(firstLine.Length > 40 ? firstLine[..40] + "…" : firstLine)})";
    }

    private static void ShowWhatArrivedLate(KernelInvocationContext context)
    {
        var kernel = context.HandlingKernel?.RootKernel;
        var late = Take(Kept, kernel);
        if (late.Count > 0)
        {
            context.Display(new LateOutputReport(late), "text/html", "text/plain");
        }

        foreach (var report in Take(PendingExceptions, kernel))
        {
            context.Display(report, "text/html", "text/plain");
        }
    }

    /// <summary>Removes and returns the entries that belong to <paramref name="kernel"/> (or to no kernel).</summary>
    private static List<T> Take<T>(ConcurrentQueue<(Kernel? Kernel, T Item)> queue, Kernel? kernel)
    {
        var mine = new List<T>();
        var others = new List<(Kernel?, T)>();
        while (queue.TryDequeue(out var entry))
        {
            if (entry.Kernel is null || ReferenceEquals(entry.Kernel, kernel))
            {
                mine.Add(entry.Item);
            }
            else
            {
                others.Add(entry);
            }
        }

        foreach (var entry in others)
        {
            queue.Enqueue(entry);
        }

        return mine;
    }

    private static void Forget(Kernel kernel)
    {
        Take(Kept, kernel);
        Take(PendingExceptions, kernel);
    }

    /// <summary>The kernel whose cell started the calling thread (or runs the calling code), when known.</summary>
    private static Kernel? OwnerKernel() =>
        ((RunScope.Of(Thread.CurrentThread) ?? RunScope.Current)?.HostState as KernelInvocationContext)?.HandlingKernel?.RootKernel;

    private static void Keep(LateOutput output) => Kept.Enqueue((OwnerKernel(), output));

    /// <summary>On the dying thread: show the report in its cell if that cell still runs, else keep it for the next cell.</summary>
    private static void OnThreadException(ThreadExceptionReport report)
    {
        TraceRecorder.Mark($"unhandled {report.Exception.GetType().Name}");
        if (RunScope.Of(Thread.CurrentThread) is { IsComplete: false, HostState: KernelInvocationContext { IsComplete: false } context })
        {
            context.Display(report, "text/html", "text/plain");
        }
        else
        {
            PendingExceptions.Enqueue((OwnerKernel(), report));
        }
    }

    /// <summary>A <c>display(...)</c> from a thread whose cell has ended would be dropped by the kernel: keep it.</summary>
    private static void OnDisplayedValue(DisplayedValue value)
    {
        if (Decide() != OutputRouter.Route.Keep)
        {
            return;
        }

        var thread = Thread.CurrentThread;
        var text = value.FormattedValues.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? value.Value?.ToString() ?? "";
        var html = value.FormattedValues.FirstOrDefault(v => v.MimeType == "text/html")?.Value;
        Keep(new LateOutput(text, "display", thread.Name, thread.ManagedThreadId, RunScope.Of(thread)?.Label, DateTimeOffset.Now, html));
    }

    /// <summary>
    /// Live cell output passes through to the kernel's writer; output from code whose cell has ended is kept; output
    /// that belongs to no cell (the kernel's own) passes through.
    /// </summary>
    private static OutputRouter.Route Decide()
    {
        var context = KernelInvocationContext.Current;
        if (context is { IsComplete: false })
        {
            return OutputRouter.Route.PassThrough;
        }

        var scope = RunScope.Current ?? RunScope.Of(Thread.CurrentThread);
        return scope is not null || context is not null ? OutputRouter.Route.Keep : OutputRouter.Route.PassThrough;
    }

    /// <summary>
    /// While a cell runs, .NET Interactive puts its own multiplexing writer on the console; wrap it, so output of
    /// an earlier cell's threads is kept rather than sent to a writer nobody reads.
    /// </summary>
    private static void RouteCellConsoleWriters()
    {
        lock (InstallGate)
        {
            if (!ReferenceEquals(Console.Out, s_outRouter))
            {
                Console.SetOut(new OutputRouter(Console.Out, "stdout", Decide, Keep));
                s_outRouter = Console.Out;
            }

            if (!ReferenceEquals(Console.Error, s_errorRouter))
            {
                Console.SetError(new OutputRouter(Console.Error, "stderr", Decide, Keep));
                s_errorRouter = Console.Error;
            }
        }
    }

    /// <summary>
    /// Between cells, .NET Interactive (1.0.0-beta.26120.1) restores the writers it found before the first cell;
    /// output written then goes to the process's real stdout (in the stdio host, the protocol stream). Replace
    /// those saved writers with routers, so that output too is kept. If the field is not there (another
    /// version), late output is still kept while later cells run.
    /// </summary>
    private static void RouteOriginalConsoleWriters()
    {
        foreach (var (field, stream) in new[] { ("_originalOutputWriter", "stdout"), ("_originalErrorWriter", "stderr") })
        {
            var saved = typeof(ConsoleOutput).GetField(field, BindingFlags.NonPublic | BindingFlags.Static);
            if (saved?.GetValue(null) is TextWriter original and not OutputRouter)
            {
                saved.SetValue(null, new OutputRouter(original, stream, Decide, Keep));
            }
        }
    }
}
