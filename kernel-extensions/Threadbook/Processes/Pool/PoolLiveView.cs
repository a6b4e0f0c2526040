using System.Globalization;
using System.Net;
using System.Text;
using System.Diagnostics;
using Threadbook.Rendering;

namespace Threadbook.Processes;

/// <summary>
/// A pool shown live: its tables (workers with pid, state, current task and tasks done; queue and counts; the results
/// so far) and, under them, each worker's output in a block of its own, so lines from different processes do not
/// interleave. <see cref="Start"/> takes the pool's <see cref="ProcessPool.Output"/> into the blocks and redraws on
/// every <see cref="ProcessPool.Changed"/>, at most once per interval, on a thread of its own (started by the caller,
/// so it runs in the caller's execution context); <see cref="Stop"/> gives the output back and redraws a last time.
/// What <c>#!pool</c> shows in a notebook; a console program can redraw it in place just as well.
/// </summary>
/// <remarks>Thread-safe: output arrives on the pool's reader threads while the view is rendered on another.</remarks>
public sealed class PoolLiveView : IRenderable, IDisposable
{
    private const int LinesKept = 12;
    private const int MaxLineLength = 160;
    private const int MaxBlocks = 8;
    private readonly ProcessPool _pool;
    private readonly object _gate = new();
    private readonly List<WorkerOutput> _outputs = [];
    private readonly Dictionary<int, int> _numbers = [];
    private readonly AutoResetEvent _changed = new(false);
    private readonly ManualResetEventSlim _stopping = new(false);
    private Action<PoolLiveView>? _redraw;
    private Action<ProcessOutput>? _previousOutput;
    private Thread? _refresher;

    /// <summary>A view of <paramref name="pool"/>; it shows the pool's state whenever it is rendered, and its workers' output once <see cref="Start"/>ed.</summary>
    public PoolLiveView(ProcessPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
    }

    /// <summary>The pool shown.</summary>
    public ProcessPool Pool => _pool;

    /// <summary>
    /// Takes the workers' output into the view and calls <paramref name="redraw"/> after the pool changes, at most once
    /// per <paramref name="interval"/>, on a thread started here. A redraw that throws is skipped; the next change draws again.
    /// </summary>
    /// <exception cref="InvalidOperationException">It was started already.</exception>
    public void Start(Action<PoolLiveView> redraw, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(redraw);
        if (Interlocked.CompareExchange(ref _redraw, redraw, null) is not null)
        {
            throw new InvalidOperationException("This PoolLiveView was started already; make a new one to watch again.");
        }

        _previousOutput = _pool.Output;
        _pool.Output = line =>
        {
            Add(line);
            _changed.Set();
        };
        _pool.Changed += OnChanged;
        var throttle = new RefreshThrottle(interval);
        _refresher = new Thread(() => Refresh(throttle)) { IsBackground = true, Name = "threadbook pool live view" };
        _refresher.Start();
    }

    /// <summary>Stops redrawing, gives the pool its previous output handler back, and redraws one last time (nothing when it was not started).</summary>
    public void Stop()
    {
        if (_refresher is not { } refresher || _stopping.IsSet)
        {
            return;
        }

        _stopping.Set();
        _pool.Changed -= OnChanged;
        _changed.Set();
        refresher.Join(TimeSpan.FromSeconds(5));
        _pool.Output = _previousOutput;
        _redraw!(this);
    }

    /// <inheritdoc cref="Stop"/>
    public void Dispose() => Stop();

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

    /// <inheritdoc />
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

    /// <inheritdoc />
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

    /// <inheritdoc />
    public override string ToString() => ToText();

    private void OnChanged(object? sender, EventArgs e) => _changed.Set();

    private void Refresh(RefreshThrottle throttle)
    {
        while (true)
        {
            _changed.WaitOne();
            // Changes while it waits are drawn together at the end of the wait.
            if (_stopping.Wait(throttle.UntilNext(Stopwatch.GetTimestamp())))
            {
                return;
            }

            throttle.Refreshed(Stopwatch.GetTimestamp());
            try
            {
                _redraw!(this);
            }
            catch (Exception)
            {
                // a failed redraw must not end the watch: the next change draws again
            }
        }
    }

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
