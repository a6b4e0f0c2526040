using System.Diagnostics;
using Threadbook.Processes.Wire;

namespace Threadbook.Processes.Pool;

/// <summary>
/// Acts on <see cref="TakeBackRule"/>: asks workers for the tasks waiting behind a long one, and keeps one timer to look
/// again when a running task would turn long. Called under the pool's lock; the timer calls <c>due</c>, which takes it.
/// </summary>
internal sealed class PoolRebalancer(Action due) : IDisposable
{
    private Timer? _timer;
    private long _due;

    /// <summary>Sends a revoke to each worker whose running task is long with tasks behind it; schedules a look for the others.</summary>
    public void Rebalance(List<PoolWorkerRecord> workers, ProcessPoolState state, int queued, bool anyWorkerIdle)
    {
        if (!TakeBackRule.IsWorthLooking(state, queued, anyWorkerIdle))
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        long? soonest = null;
        foreach (var worker in workers)
        {
            var step = TakeBackRule.Decide(worker.Load, now);
            if (step.RevokeNow)
            {
                WorkerMessages.WriteRevoke(worker.Outgoing);
                worker.RevokeSent = true;
            }
            else if (step.LookAgainInTicks is { } untilLong)
            {
                soonest = Math.Min(soonest ?? long.MaxValue, untilLong);
            }
        }

        if (soonest is { } wait)
        {
            LookAgainIn(wait);
        }
    }

    /// <summary>Makes the timer fire in <paramref name="ticks"/> (Stopwatch ticks), unless it fires that soon already.</summary>
    public void LookAgainIn(long ticks)
    {
        if (_timer is null)
        {
            using (ExecutionContext.SuppressFlow())
            {
                _timer = new Timer(static state => ((Action)state!)(), due, Timeout.Infinite, Timeout.Infinite);
            }
        }

        // Armed already for as soon (or sooner): leave it, rather than move the timer for every task that starts.
        var dueAt = Stopwatch.GetTimestamp() + Math.Max(0, ticks);
        if (_due != 0 && _due <= dueAt)
        {
            return;
        }

        _due = dueAt;
        var milliseconds = (long)Math.Ceiling(Math.Max(0, ticks) * 1000.0 / Stopwatch.Frequency) + 1;
        _timer.Change(milliseconds, Timeout.Infinite);
    }

    /// <summary>The timer fired (called under the pool's lock): the next look may arm it again.</summary>
    public void Fired() => _due = 0;

    public void Dispose() => _timer?.Dispose();
}
