using System.Diagnostics;

namespace Threadbook.Threading;

/// <summary>
/// The blocking part of acquiring a traced lock or semaphore, shared by all of them: register the wait in
/// the <see cref="WaitForGraph"/>, then, holding the target's gate, alternate between one attempt and a
/// sleep on the gate until the attempt succeeds, the deadline passes, or the detector hands the wait a
/// deadlock verdict (only an untimed wait in a definite deadlock gets one). Sleeps are cut into <see cref="DeadlockDetector.CheckInterval"/> slices so that a
/// blocked thread checks for deadlocks and notices a verdict without burning CPU in between.
/// </summary>
/// <remarks>
/// No wake-up is lost: each attempt is made with the gate held, a releaser frees the resource first and
/// only then takes the gate to pulse it, so the release either happened before the attempt (which then sees
/// it) or the pulse comes after the waiter is asleep. The releaser's decision to skip the pulse when nobody
/// waits is each target's own concern (see <see cref="LockCore"/>).
/// </remarks>
internal static class BlockingAcquire
{
    /// <summary>Blocks until <paramref name="target"/> is taken for the calling thread, or the wait ends otherwise.</summary>
    /// <returns>Whether it was taken, and the deadlock verdict when the wait was ended to break one.</returns>
    public static (bool Acquired, DeadlockReport? Verdict) Run(IBlockingTarget target, Deadline deadline)
    {
        var thread = Thread.CurrentThread;
        var threadId = thread.ManagedThreadId;
        var wait = WaitForGraph.Register(target, isTimed: !deadline.IsInfinite);
        wait.NextCheckTimestamp = Stopwatch.GetTimestamp() + (long)(DeadlockDetector.CheckInterval.TotalSeconds * Stopwatch.Frequency);
        var gate = target.Gate;
        var acquired = false;
        DeadlockReport? verdict = null;
        lock (gate)
        {
            target.AddWaiter(thread);
            try
            {
                while (true)
                {
                    // Before every attempt, so that once a cycle is broken no member slips out by taking a
                    // lock another member let go of while unwinding: every member ends with the exception.
                    if (wait.Verdict is { } ended)
                    {
                        verdict = ended;
                        break;
                    }

                    wait.BeginAttempt();
                    if (target.TryTakeWhileGated(threadId))
                    {
                        acquired = true;
                        break;
                    }

                    wait.MarkBlocked();
                    var remaining = deadline.RemainingMilliseconds();
                    if (remaining == 0)
                    {
                        break;
                    }

                    var untilCheck = MillisecondsUntil(wait.NextCheckTimestamp);
                    if (untilCheck == 0)
                    {
                        if (DeadlockDetector.Check(wait) is { } published)
                        {
                            // Announced now, not when the wait ends: a suspected cycle's waits may go on for ever.
                            // Handlers run holding no gate; the next attempt, made with the gate held again, sees
                            // any release that came meanwhile.
                            Monitor.Exit(gate);
                            try
                            {
                                DeadlockDetector.Announce(published);
                            }
                            finally
                            {
                                Monitor.Enter(gate);
                            }
                        }

                        continue;
                    }

                    Monitor.Wait(gate, remaining == Timeout.Infinite ? untilCheck : Math.Min(remaining, untilCheck));
                }
            }
            finally
            {
                wait.Finish();
                WaitForGraph.Unregister(wait);
                target.RemoveWaiter(thread);

                // The pulse of a release may have woken this thread rather than one that will take the
                // resource; hand it on so the others do not sleep out a whole slice.
                if (!acquired && target.WaiterCount > 0 && target.LooksFree)
                {
                    Monitor.Pulse(gate);
                }
            }
        }

        return (acquired, verdict);
    }

    private static int MillisecondsUntil(long timestamp)
    {
        var ticks = timestamp - Stopwatch.GetTimestamp();
        return ticks <= 0 ? 0 : (int)Math.Min((ticks * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency, int.MaxValue);
    }
}
