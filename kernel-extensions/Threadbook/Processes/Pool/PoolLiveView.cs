using System.Globalization;
using System.Net;
using System.Text;
using Threadbook.Processes;
using Threadbook.Rendering;

namespace Threadbook.Interactive;

/// <summary>
/// What <c>#!pool</c> shows: the pool's table (workers with pid, state, current task and tasks done; queue and counts; the results so far)
/// and, under it, each worker's output in a block of its own, so lines from different processes do not interleave.
/// Thread-safe: output arrives on the pool's reader threads while the view is rendered on another.
/// </summary>
internal sealed class PoolLiveView : IRenderable
{
    private const int LinesKept = 12;
    private const int MaxLineLength = 160;
    private const int MaxBlocks = 8;
    private readonly ProcessPool _pool;
    private readonly object _gate = new();
    private readonly List<WorkerOutput> _outputs = [];
    private readonly Dictionary<int, int> _numbers = [];

    public PoolLiveView(ProcessPool pool) => _pool = pool;

    /// <summary>Keeps one line a worker wrote (the last <see cref="LinesKept"/> per worker are shown).</summary>
    public void Add(ProcessOutput line)
    {
        lock (_gate)
        {
            var output = _outputs.Find(o => o.Pid == line.Pid);
            if (output is null)
            {
                output = new WorkerOutput(line.Pid);
                _outputs.Add(output);
            }

            output.Add(Clean(line.Stream == "stderr" ? "[stderr] " + line.Line : line.Line));
        }
    }

    /// <summary>The total number of lines the workers wrote while watched.</summary>
    public int LineCount
    {
        get
        {
            lock (_gate)
            {
                return _outputs.Sum(o => o.Total);
            }
        }
    }

    public string ToHtml()
    {
        var html = new StringBuilder(_pool.ToHtml());
        foreach (var (pid, number, total, lines) in Blocks())
        {
            html.Append(CultureInfo.InvariantCulture, $"<details open><summary>{WebUtility.HtmlEncode(Heading(pid, number, total, lines.Count))}</summary><pre style=\"margin:0 0 4px 0\">");
            html.Append(WebUtility.HtmlEncode(string.Join('\n', lines)));
            html.Append("</pre></details>");
        }

        return html.ToString();
    }

    public string ToText()
    {
        var text = new StringBuilder(_pool.ToText());
        foreach (var (pid, number, total, lines) in Blocks())
        {
            text.AppendLine().Append("--- ").Append(Heading(pid, number, total, lines.Count)).Append(" ---");
            foreach (var line in lines)
            {
                text.AppendLine().Append(line);
            }
        }

        return text.ToString();
    }

    public override string ToString() => ToText();

    private static string Heading(int pid, int? number, int total, int shown) =>
        $"{(number is { } n ? $"worker {n.ToString(CultureInfo.InvariantCulture)}, " : "")}pid {pid.ToString(CultureInfo.InvariantCulture)}: " +
        (total == shown ? $"{total} line(s)" : $"last {shown} of {total} lines");

    private List<(int Pid, int? Number, int Total, List<string> Lines)> Blocks()
    {
        IReadOnlyList<PoolWorkerSnapshot> workers;
        try
        {
            workers = _pool.Snapshot().Workers;
        }
        catch (Exception)
        {
            workers = [];
        }

        lock (_gate)
        {
            // The pool lists only the last few workers that ended; the view remembers every number it saw.
            foreach (var worker in workers)
            {
                _numbers[worker.ProcessId] = worker.Number;
            }

            var numbers = _numbers;
            return _outputs
                .OrderBy(o => numbers.TryGetValue(o.Pid, out var n) ? n : int.MaxValue)
                .Take(MaxBlocks)
                .Select(o => (o.Pid, numbers.TryGetValue(o.Pid, out var n) ? n : (int?)null, o.Total, o.Lines.ToList()))
                .ToList();
        }
    }

    /// <summary>No control characters (they break HTML and terminals), and no line longer than a table is wide.</summary>
    private static string Clean(string line)
    {
        var clean = new string(line.Select(c => char.IsControl(c) && c != '\t' ? '?' : c).ToArray());
        return clean.Length <= MaxLineLength ? clean : clean[..(MaxLineLength - 1)] + "…";
    }

    /// <summary>The last lines of one worker.</summary>
    private sealed class WorkerOutput(int pid)
    {
        public int Pid { get; } = pid;

        public Queue<string> Lines { get; } = new();

        public int Total { get; private set; }

        public void Add(string line)
        {
            Total++;
            Lines.Enqueue(line);
            if (Lines.Count > LinesKept)
            {
                Lines.Dequeue();
            }
        }
    }
}
