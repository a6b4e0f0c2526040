using System.Diagnostics;
using System.Text;
using Threadbook.Processes;
using Threadbook.Processes.Workers;

namespace Threadbook.Servers;

/// <summary>
/// One started forking-server child: <c>dotnet Threadbook.Worker.dll --serve-one ...</c> (see <see cref="ForkedClient"/>),
/// its console output handed on line by line, and the last lines of its standard error kept for a message about a
/// child that could not start. Standard input is an empty pipe (in a notebook kernel the parent's is the protocol stream).
/// </summary>
internal sealed class SpareProcess
{
    private const int StderrLinesKept = 20;
    private readonly Process _process;
    private readonly Queue<string> _stderrTail = new();
    private readonly CountdownEvent _streamsOpen = new(2);
    private readonly Action<ProcessOutput> _output;

    private SpareProcess(Process process, Action<ProcessOutput> output)
    {
        _process = process;
        _output = output;
    }

    /// <summary>Its process id.</summary>
    public int Pid { get; private set; }

    /// <summary>True once the process ended.</summary>
    public bool HasExited => Probe(() => _process.HasExited, true);

    /// <summary>The last lines it wrote to standard error.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderrTail)
            {
                return string.Join("\n", _stderrTail);
            }
        }
    }

    /// <summary>
    /// Starts a spare with <paramref name="arguments"/> for the worker and <paramref name="token"/> in its environment;
    /// <paramref name="exited"/> runs when it ends, <paramref name="output"/> gets each line it writes.
    /// </summary>
    public static SpareProcess Launch(IReadOnlyList<string> arguments, string token, Action<ProcessOutput> output, Action exited)
    {
        var start = WorkerLocator.StartInfo(arguments);
        start.Environment[ForkedClient.TokenVariable] = token;

        var spare = new SpareProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, output);
        spare._process.OutputDataReceived += (_, e) => spare.Received("stdout", e.Data);
        spare._process.ErrorDataReceived += (_, e) => spare.Received("stderr", e.Data);
        spare._process.Exited += (_, _) => exited();
        try
        {
            spare._process.Start();
        }
        catch (Exception e)
        {
            throw new WorkerStartException($"Could not start a child process ({start.FileName} {start.ArgumentList[0]}): {e.Message}");
        }

        spare.Pid = spare._process.Id;
        spare._process.StandardInput.Close();
        spare._process.BeginOutputReadLine();
        spare._process.BeginErrorReadLine();
        return spare;
    }

    /// <summary>Kills the process (no-op once it ended).</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            // it already ended
        }
    }

    /// <summary>Waits for the process to end and its output to be read; false when <paramref name="timeout"/> passed first.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!Probe(() => _process.WaitForExit(timeout), true))
        {
            return false;
        }

        _streamsOpen.Wait(TimeSpan.FromSeconds(2)); // output can lag the exit a little
        return true;
    }

    /// <summary>How the process ended, for people.</summary>
    public string DescribeExit() => Probe<int?>(() => _process.HasExited ? _process.ExitCode : null, null) switch
    {
        null => "is still running",
        0 => "exited normally (code 0)",
        var code when code > 128 && code < 160 => $"was killed by signal {code - 128} (exit code {code})",
        var code => $"exited with code {code}",
    };

    private void Received(string stream, string? line)
    {
        if (line is null)
        {
            _streamsOpen.Signal();
            return;
        }

        if (stream == "stderr")
        {
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                if (_stderrTail.Count > StderrLinesKept)
                {
                    _stderrTail.Dequeue();
                }
            }
        }

        _output(new ProcessOutput(Pid, stream, line));
    }

    private static T Probe<T>(Func<T> read, T fallback)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return fallback;
        }
    }
}
