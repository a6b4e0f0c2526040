using Threadbook.Cells;
using Threadbook.Scheduling;

namespace Threadbook.Exploration.Execution;

/// <summary>
/// Keeps what an explored program's threads write to <see cref="Console.Out"/> and <see cref="Console.Error"/> in the
/// output of the schedule they run (<see cref="IExploredThread.Output"/>) instead of printing it once per schedule.
/// While at least one exploration captures output, one process-wide router wraps each console writer that was
/// installed (in a notebook, the extension's cell writer); writes from every other thread pass through to it unchanged.
/// The last exploration to end puts the writers it found back, unless someone replaced the router meanwhile (a router
/// left wrapped inside someone else's writer just passes everything through).
/// </summary>
internal static class ExplorationConsole
{
    private static readonly object Gate = new();
    private static int s_explorations;
    private static (TextWriter Found, TextWriter Installed)? s_out;
    private static (TextWriter Found, TextWriter Installed)? s_error;

    /// <summary>Starts capturing for one exploration; pair it with <see cref="Release"/>.</summary>
    public static void Acquire()
    {
        lock (Gate)
        {
            if (s_explorations++ == 0)
            {
                s_out = Wrap(Console.Out, "stdout", Console.SetOut, () => Console.Out);
                s_error = Wrap(Console.Error, "stderr", Console.SetError, () => Console.Error);
            }
        }
    }

    /// <summary>Ends one exploration's capturing; the last one restores the console's writers.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            if (--s_explorations == 0)
            {
                Restore(s_out, Console.Out, Console.SetOut);
                Restore(s_error, Console.Error, Console.SetError);
                (s_out, s_error) = (null, null);
            }
        }
    }

    private static (TextWriter Found, TextWriter Installed) Wrap(TextWriter found, string stream, Action<TextWriter> install, Func<TextWriter> installed)
    {
        install(new OutputRouter(found, stream, Decide, Keep));

        // The console wraps what it is given in a synchronized writer: remember that one, to know it is still ours.
        return (found, installed());
    }

    private static void Restore((TextWriter Found, TextWriter Installed)? router, TextWriter current, Action<TextWriter> install)
    {
        if (router is { } ours && ReferenceEquals(current, ours.Installed))
        {
            install(ours.Found);
        }
    }

    // Called for every console write while the router is installed; a program that prints nothing never gets here.
    private static OutputRouter.Route Decide() =>
        SchedulingHook.Current is IExploredThread { Output: not null } ? OutputRouter.Route.Keep : OutputRouter.Route.PassThrough;

    private static void Keep(LateOutput output)
    {
        if (SchedulingHook.Current is IExploredThread { Output: { } capture } thread)
        {
            capture.Write(thread.Name, output.Stream, output.Text);
        }
    }
}
