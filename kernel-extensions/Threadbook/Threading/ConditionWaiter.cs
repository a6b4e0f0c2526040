namespace Threadbook.Threading;

/// <summary>
/// One thread's place in a <see cref="TracedCondition"/>'s queue, with a monitor of its own so a notification
/// wakes exactly that thread. The flag is set before the pulse and read with the monitor held, so a
/// notification that comes before the thread falls asleep is seen rather than lost.
/// </summary>
internal sealed class ConditionWaiter(Thread thread)
{
    private volatile bool _notified;
    private int _notifierId;

    public Thread Thread { get; } = thread;

    public bool IsNotified => _notified;

    /// <summary>The thread whose notify woke this one (0 until notified).</summary>
    public int NotifierId => Volatile.Read(ref _notifierId);

    /// <summary>Called by the notifier, with the condition's queue gate held.</summary>
    public void MarkNotified(int notifierId)
    {
        Volatile.Write(ref _notifierId, notifierId);
        _notified = true;
    }

    /// <summary>Called by the notifier after <see cref="MarkNotified"/>, holding no other lock.</summary>
    public void Wake()
    {
        lock (this)
        {
            Monitor.Pulse(this);
        }
    }

    /// <summary>Sleeps until notified or the deadline passes; returns whether it was notified.</summary>
    public bool SleepUntilNotified(Deadline deadline)
    {
        lock (this)
        {
            while (!_notified)
            {
                var remaining = deadline.RemainingMilliseconds();
                if (remaining == 0)
                {
                    return false;
                }

                Monitor.Wait(this, remaining);
            }

            return true;
        }
    }
}
