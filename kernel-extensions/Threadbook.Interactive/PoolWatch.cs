using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;
using Threadbook.Processes;

namespace Threadbook.Interactive;

/// <summary>
/// Keeps a cell's <see cref="PoolLiveView"/> current while the cell runs: the pool's <see cref="ProcessPool.Changed"/>
/// wakes a thread of the cell (started in the cell, so its updates reach the cell; the pool raises the event on its
/// reader threads, which carry no cell), which redraws at most once per interval. The workers' output goes into the
/// view's blocks until <see cref="Stop"/> gives the pool its previous output handler back.
/// </summary>
internal sealed class PoolWatch
{
    private readonly ProcessPool _pool;
    private readonly PoolLiveView _view;
    private readonly Action<ProcessOutput>? _previousOutput;
    private readonly TimeSpan _interval;
    private readonly AutoResetEvent _changed = new(false);
    private readonly Thread _refresher;
    private readonly DisplayedValue _live;
    private volatile bool _stopped;

    private PoolWatch(ProcessPool pool, KernelInvocationContext context, TimeSpan interval)
    {
        _pool = pool;
        _interval = interval;
        _view = new PoolLiveView(pool);
        _previousOutput = pool.Output;
        pool.Output = line =>
        {
            _view.Add(line);
            _changed.Set();
        };
        _live = context.Display(_view, "text/html", "text/plain");
        pool.Changed += OnChanged;
        _refresher = new Thread(Refresh) { IsBackground = true, Name = "threadbook #!pool view" };
        _refresher.Start();
    }

    /// <summary>Shows <paramref name="pool"/> in the cell of <paramref name="context"/> and keeps the view current.</summary>
    public static PoolWatch Start(ProcessPool pool, KernelInvocationContext context, TimeSpan interval) => new(pool, context, interval);

    /// <summary>Stops updating, hands the output back, and draws the view one last time.</summary>
    public void Stop()
    {
        _stopped = true;
        _pool.Changed -= OnChanged;
        _changed.Set();
        _refresher.Join(TimeSpan.FromSeconds(5));
        _pool.Output = _previousOutput;
        _live.Update(_view);
    }

    private void OnChanged(object? sender, EventArgs e) => _changed.Set();

    private void Refresh()
    {
        while (true)
        {
            _changed.WaitOne();
            if (_stopped)
            {
                return;
            }

            try
            {
                _live.Update(_view);
            }
            catch (Exception)
            {
                // a failed redraw must not end the watch: the next change draws again
            }

            Thread.Sleep(_interval);
        }
    }
}
