using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Threadbook.Hosting;
using Threadbook.Introspection;

namespace Threadbook.Python;

/// <summary>
/// Runs Python source as a program in a child process (by default Debian's <c>/usr/bin/python3</c>), streaming its
/// output line by line as it comes, and ends with its exit status. A timeout or a cancellation kills the whole
/// process tree. Nothing of the program is left running when <see cref="RunAsync"/> returns.
/// </summary>
public sealed class PythonProgram
{
    /// <summary>The environment variable that names the interpreter when no option does.</summary>
    public const string InterpreterVariable = "THREADBOOK_PYTHON";

    /// <summary>The interpreter used when neither an option nor <see cref="InterpreterVariable"/> names one.</summary>
    public const string DefaultInterpreter = "/usr/bin/python3";

    /// <summary>The file name tracebacks show for the program (instead of a temporary path).</summary>
    public const string SourceName = "<python cell>";

    /// <summary>How to get Python on Debian, for messages when it is missing.</summary>
    public const string InstallHint = "apt-get install python3 python3-greenlet python3-gevent";

    /// <summary>Creates a program from Python source.</summary>
    public PythonProgram(string source)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
    }

    /// <summary>The Python source.</summary>
    public string Source { get; }

    /// <summary>The interpreter to run; null means <see cref="InterpreterVariable"/>, else <see cref="DefaultInterpreter"/>.</summary>
    public string? Interpreter { get; init; }

    /// <summary>How long the program may run before its process tree is killed.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// When true, the program's OS threads (and its child processes' threads) are sampled from /proc while it runs
    /// (<see cref="CpuSampler"/>) and named by a prelude that reports Python's thread names without printing anything;
    /// the result's <see cref="PythonRunResult.Sampling"/> holds them. Where threads cannot be sampled (not Linux), the
    /// program runs as usual and <see cref="PythonRunResult.SamplingSkipped"/> says why.
    /// </summary>
    public bool SampleThreads { get; init; }

    /// <summary>Where the process file system is (<see cref="CpuSampler.DefaultProcRoot"/>); another folder stands for a machine without one.</summary>
    public string ProcRoot { get; init; } = CpuSampler.DefaultProcRoot;

    /// <summary>The interpreter that will be used.</summary>
    public string ResolvedInterpreter =>
        Interpreter
        ?? (Environment.GetEnvironmentVariable(InterpreterVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment : DefaultInterpreter);

    /// <summary>
    /// Runs the program. <paramref name="onOutput"/> receives each line of standard output ("stdout") and standard
    /// error ("stderr") as soon as the program writes it, on a background thread.
    /// </summary>
    public async Task<PythonRunResult> RunAsync(Action<string, string>? onOutput = null, CancellationToken cancellationToken = default)
    {
        var interpreter = ResolvedInterpreter;
        if (!InterpreterExists(interpreter))
        {
            return PythonRunResult.NotFound(interpreter);
        }

        var folder = Directory.CreateTempSubdirectory("threadbook-python-");
        try
        {
            var script = Path.Combine(folder.FullName, "cell.py");
            await File.WriteAllTextAsync(script, Source, new UTF8Encoding(false), cancellationToken);
            var samplingSkipped = SampleThreads ? CpuSampler.Unavailable(ProcRoot) : null;
            var sample = SampleThreads && samplingSkipped is null;
            var namesFile = Path.Combine(folder.FullName, "thread-names.tsv");
            // The interpreter inherits this process's standard input, as before; "-u": unbuffered, so lines arrive as they are printed.
            using var process = new ObservedProcess(interpreter, ["-u", script])
            {
                Input = ProcessInput.Inherited,
                CaptureOutput = true,
                Environment = { ["PYTHONIOENCODING"] = "utf-8", ["PYTHONDONTWRITEBYTECODE"] = "1" },
                LineReceived = onOutput is null ? null : line => onOutput(line.Stream, (line.IsError ? CleanPaths(line.Text, script) : line.Text) + "\n"),
            };
            if (sample)
            {
                var prelude = Path.Combine(folder.FullName, "prelude");
                ThreadNamesPrelude.WriteTo(prelude);
                var inherited = System.Environment.GetEnvironmentVariable("PYTHONPATH");
                process.Environment["PYTHONPATH"] = string.IsNullOrEmpty(inherited) ? prelude : prelude + Path.PathSeparator + inherited;
                process.Environment[ThreadNamesPrelude.NamesFileVariable] = namesFile;
            }

            var stopwatch = Stopwatch.StartNew();
            try
            {
                process.Start();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return PythonRunResult.NotFound(interpreter);
            }

            CpuSampler? sampler = null;
            if (sample)
            {
                try
                {
                    sampler = CpuSampler.Start(process.Pid, includeChildProcesses: true, procRoot: ProcRoot);
                }
                catch (ArgumentException)
                {
                    samplingSkipped = "the program ended before its threads could be watched";
                }
            }

            using var timeout = new CancellationTokenSource(Timeout);
            using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            var ending = PythonRunEnding.Exited;
            try
            {
                await process.WaitForExitAsync(either.Token);
            }
            catch (OperationCanceledException)
            {
                ending = cancellationToken.IsCancellationRequested ? PythonRunEnding.Cancelled : PythonRunEnding.TimedOut;
                process.Kill();
                await process.WaitForExitAsync(CancellationToken.None);
            }

            var sampling = sampler?.Stop();
            sampler?.Dispose();
            return new PythonRunResult(
                interpreter, ending, ending == PythonRunEnding.Exited ? process.ExitCode : null, stopwatch.Elapsed,
                process.CapturedOutput, CleanPaths(process.CapturedError, script))
            {
                Sampling = sampling is null ? null : Named(sampling, process.Pid, ThreadNamesPrelude.ReadNames(namesFile)),
                SamplingSkipped = samplingSkipped,
            };
        }
        finally
        {
            folder.Delete(recursive: true); // after the process is disposed: nothing of it runs any more
        }
    }

    /// <summary>Parses the last non-empty line of <paramref name="stdout"/> as JSON (the <c>--out</c> convention).</summary>
    public static JsonNode? LastLineAsJson(string stdout)
    {
        var last = stdout.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0)
            ?? throw new FormatException("The program printed nothing, so there is no last line to read as JSON.");
        try
        {
            return JsonNode.Parse(last);
        }
        catch (JsonException e)
        {
            throw new FormatException($"The program's last line is not JSON ({e.Message}): {(last.Length > 120 ? last[..120] + "…" : last)}", e);
        }
    }

    /// <summary>Names each lane by what the prelude reported; a thread it never heard of keeps the kernel's name, with its process when that is a child.</summary>
    private static CpuSampling Named(CpuSampling sampling, int rootProcess, IReadOnlyDictionary<(int Pid, int Tid), string> names) =>
        sampling.Renamed(thread =>
            names.TryGetValue((thread.ProcessId, thread.ThreadId), out var name) ? name
            : thread.ProcessId != rootProcess ? $"{thread.Name} in process {thread.ProcessId}"
            : null);

    private static bool InterpreterExists(string interpreter) =>
        Path.IsPathRooted(interpreter)
            ? File.Exists(interpreter)
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(dir => File.Exists(Path.Combine(dir, interpreter)));

    private static string CleanPaths(string text, string script) => text.Replace($"\"{script}\"", $"\"{SourceName}\"");
}
