using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Threadbook.Rendering;

namespace Threadbook.Measurement;

/// <summary>
/// Samples the thread pool (threads, queued items, completed items) at a fixed interval on a timer until
/// stopped, to show the pool at work: when blocking work fills it, the queue grows and the pool adds threads
/// slowly (about one or two a second beyond its minimum), which the samples make visible. The sampler runs
/// on a thread of its own: a pool timer would stall exactly when the pool is busy, which is what it must show.
/// </summary>
public sealed class ThreadPoolSampler : IRenderable, IDisposable
{
    private readonly List<ThreadPoolSample> _samples = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly long _completedAtStart = ThreadPool.CompletedWorkItemCount;
    private readonly ManualResetEventSlim _stopping = new();
    private readonly Thread _thread;
    private bool _stopped;

    /// <summary>
    /// Starts sampling every <paramref name="interval"/> (at least 10 ms). <paramref name="onProgress"/>, if given, is
    /// called on the sampling thread about every <paramref name="progressEvery"/> (for a live view).
    /// </summary>
    public ThreadPoolSampler(TimeSpan interval, Action<ThreadPoolSampler>? onProgress = null, TimeSpan? progressEvery = null)
    {
        if (interval < TimeSpan.FromMilliseconds(10))
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "Sample at most every 10 ms.");
        }

        Interval = interval;
        Sample();
        var every = progressEvery ?? TimeSpan.FromMilliseconds(250);
        _thread = new Thread(() =>
        {
            var progress = new RefreshThrottle(every);
            progress.Refreshed(Stopwatch.GetTimestamp());
            while (!_stopping.Wait(interval))
            {
                Sample();
                if (onProgress is not null && progress.TryRefresh(Stopwatch.GetTimestamp()))
                {
                    onProgress(this);
                }
            }
        }) { IsBackground = true, Name = "threadbook pool sampler" };
        _thread.Start();
    }

    /// <summary>Time between samples.</summary>
    public TimeSpan Interval { get; }

    /// <summary>The samples so far, in time order.</summary>
    public IReadOnlyList<ThreadPoolSample> Samples
    {
        get
        {
            lock (_samples)
            {
                return _samples.ToArray();
            }
        }
    }

    /// <summary>The most pool threads seen.</summary>
    public int PeakThreads => Samples.Max(s => s.Threads);

    /// <summary>The longest queue seen.</summary>
    public long PeakQueued => Samples.Max(s => s.Queued);

    /// <summary>Takes a last sample and stops.</summary>
    public void Stop()
    {
        lock (_samples)
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
        }

        _stopping.Set();
        if (Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        lock (_samples)
        {
            _samples.Add(Read());
        }
    }

    /// <inheritdoc />
    public void Dispose() => Stop();

    private void Sample()
    {
        lock (_samples)
        {
            if (!_stopped)
            {
                _samples.Add(Read());
            }
        }
    }

    private ThreadPoolSample Read() =>
        new(_clock.Elapsed, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount, ThreadPool.CompletedWorkItemCount - _completedAtStart);

    /// <inheritdoc />
    public string ToText()
    {
        var samples = Samples;
        var last = samples[^1];
        return $"thread pool after {last.At.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {last.Threads} threads " +
               $"(peak {PeakThreads}), {last.Queued} queued (peak {PeakQueued}), {last.Completed} completed; {samples.Count} samples";
    }

    /// <inheritdoc />
    public string ToHtml()
    {
        var samples = Samples;
        return $"<div class=\"threadbook-threadpool\"><div>{WebUtility.HtmlEncode(ToText())}</div>{Sparklines(samples)}</div>";
    }

    /// <inheritdoc />
    public override string ToString() => ToText();

    /// <summary>Two small inline-SVG lines (threads, queue) so the live view needs no chart library.</summary>
    private static string Sparklines(IReadOnlyList<ThreadPoolSample> samples)
    {
        const int width = 480, height = 60;
        var end = Math.Max(samples[^1].At.TotalSeconds, 0.001);
        var top = Math.Max(1, Math.Max(samples.Max(s => s.Threads), samples.Max(s => s.Queued)));
        string Points(Func<ThreadPoolSample, double> value) => string.Join(" ", Thin(samples).Select(s =>
            $"{(s.At.TotalSeconds / end * width).ToString("0.#", CultureInfo.InvariantCulture)},{(height - value(s) / top * (height - 4) - 2).ToString("0.#", CultureInfo.InvariantCulture)}"));

        var svg = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width + 120}\" height=\"{height}\" role=\"img\">");
        svg.Append($"<polyline fill=\"none\" stroke=\"#009E73\" stroke-width=\"2\" points=\"{Points(s => s.Threads)}\"><title>pool threads</title></polyline>");
        svg.Append($"<polyline fill=\"none\" stroke=\"#D55E00\" stroke-width=\"2\" points=\"{Points(s => s.Queued)}\"><title>queued work items</title></polyline>");
        svg.Append($"<text x=\"{width + 6}\" y=\"16\" font-size=\"11\" fill=\"#009E73\">threads</text>");
        svg.Append($"<text x=\"{width + 6}\" y=\"32\" font-size=\"11\" fill=\"#D55E00\">queued</text>");
        return svg.Append("</svg>").ToString();
    }

    /// <summary>At most ~240 points, so a long run stays small.</summary>
    private static IEnumerable<ThreadPoolSample> Thin(IReadOnlyList<ThreadPoolSample> samples)
    {
        var step = Math.Max(1, samples.Count / 240);
        for (var i = 0; i < samples.Count; i += step)
        {
            yield return samples[i];
        }

        if ((samples.Count - 1) % step != 0)
        {
            yield return samples[^1];
        }
    }
}
