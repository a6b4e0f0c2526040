namespace Threadbook.Processes;

/// <summary>One line a child or worker process wrote to its standard output or standard error.</summary>
/// <param name="Pid">The process that wrote it.</param>
/// <param name="Stream"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Line">The line, without its line break.</param>
public sealed record ProcessOutput(int Pid, string Stream, string Line)
{
    /// <summary>Where lines go when no handler is set: <c>[pid N] line</c> on this process's console (standard error lines on its standard error).</summary>
    public static void WriteToConsole(ProcessOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = output.Stream == "stderr" ? Console.Error : Console.Out;
        writer.WriteLine($"[pid {output.Pid}] {output.Line}");
    }

    /// <summary>Hands <paramref name="output"/> to <paramref name="handler"/> (or the console) inside <paramref name="context"/>, so a notebook shows it in the cell that started the work.</summary>
    internal static void Deliver(Action<ProcessOutput>? handler, ProcessOutput output, ExecutionContext? context)
    {
        var deliver = handler ?? WriteToConsole;
        try
        {
            if (context is null)
            {
                deliver(output);
            }
            else
            {
                ExecutionContext.Run(context, static state =>
                {
                    var (d, o) = ((Action<ProcessOutput>, ProcessOutput))state!;
                    d(o);
                }, (deliver, output));
            }
        }
        catch (Exception)
        {
            // a handler that throws must not stop the reader that delivers the next line
        }
    }
}
