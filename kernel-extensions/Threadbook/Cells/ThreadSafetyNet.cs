using Threadbook.Tracing;

namespace Threadbook.Cells;

/// <summary>
/// Keeps the process alive when a thread dies of an unhandled exception. Normally .NET ends the whole process
/// (a notebook kernel dies); like Python, where an exception ends only its thread, the safety net reports the
/// exception and then parks the dying thread forever (it becomes a background thread, so it never holds the
/// process open). The parked thread is leaked: a small price for a process that keeps running.
/// </summary>
public static class ThreadSafetyNet
{
    private static readonly object Gate = new();
    private static Action<ThreadExceptionReport>? s_report;
    private static bool s_installed;

    /// <summary>True once installed.</summary>
    public static bool IsInstalled
    {
        get
        {
            lock (Gate)
            {
                return s_installed;
            }
        }
    }

    /// <summary>
    /// Installs the net (once per process); <paramref name="report"/> receives each report, on the dying thread.
    /// Installing again replaces the reporter.
    /// </summary>
    public static void Install(Action<ThreadExceptionReport> report)
    {
        ArgumentNullException.ThrowIfNull(report);
        lock (Gate)
        {
            s_report = report;
            if (!s_installed)
            {
                AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
                s_installed = true;
            }
        }
    }

    private static void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        var thread = Thread.CurrentThread;
        if (e.ExceptionObject is not Exception exception || IsMainThread(thread))
        {
            return; // nothing to save: the process's own main thread failing ends the program as usual
        }

        var scope = RunScope.Of(thread);
        scope?.MarkFaulted(thread);
        try
        {
            s_report?.Invoke(new ThreadExceptionReport(thread.Name, thread.ManagedThreadId, exception, scope?.Label));
        }
        catch (Exception reportFailure)
        {
            Console.Error.WriteLine($"Threadbook could not report an exception in thread {thread.ManagedThreadId}: {reportFailure.Message}");
        }

        // Never return: returning lets the runtime end the process.
        try
        {
            thread.IsBackground = true;
        }
        catch (ThreadStateException)
        {
        }

        Thread.Sleep(Timeout.Infinite);
    }

    private static bool IsMainThread(Thread thread) => thread.ManagedThreadId == 1;
}
