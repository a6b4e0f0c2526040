using System.Diagnostics;

namespace Threadbook.Fibers;

/// <summary>
/// Where one thread waits for its turn in a strict hand-off between threads: the thread whose turn ends calls
/// <see cref="Unpark"/> on the next one's spot and then <see cref="Park()"/> on its own. A parked thread spins on its
/// flag for up to <see cref="Fiber.SpinBeforeBlocking"/> (so a quick answer costs about a cache-line transfer between
/// cores), then blocks in the kernel. Shared by <see cref="Fiber"/> and the interleaving explorer's virtual threads.
/// </summary>
/// <remarks>
/// Only the owning thread parks on a spot; any thread may unpark it. An unpark that comes before the park is kept:
/// the park then returns at once. Writes made before <see cref="Unpark"/> are visible after <see cref="Park()"/> returns
/// (a volatile write and read of the flag order them).
/// </remarks>
internal sealed class ParkingSpot
{
    private static readonly long MaxSpinTicks = (long)(Fiber.SpinBeforeBlocking.TotalSeconds * Stopwatch.Frequency);
    private static readonly long MinSpinTicks = Math.Max(1, Stopwatch.Frequency / 1_000_000);
    private static readonly bool CanSpin = Environment.ProcessorCount > 1;

    private readonly object _gate = new();
    private volatile int _signal;
    private int _sleeping;
    private long _spinTicks = MaxSpinTicks; // only the owning thread reads and writes these two
    private int _parks;

    /// <summary>Gives the owner its turn: its <see cref="Park()"/> returns (or the next one will, at once).</summary>
    public void Unpark()
    {
        _signal = 1;

        // A full fence between raising the flag and reading _sleeping; Park sets _sleeping and fences before it reads
        // the flag. So either Park sees the flag, or this sees the sleeper and wakes it.
        Interlocked.MemoryBarrier();
        if (Volatile.Read(ref _sleeping) != 0)
        {
            lock (_gate)
            {
                Monitor.Pulse(_gate);
            }
        }
    }

    /// <summary>Takes back an <see cref="Unpark"/> nobody has parked for yet (a hand-off that was undone).</summary>
    public void Cancel() => _signal = 0;

    /// <summary>Waits (spinning briefly, then blocking) until someone unparks the owner.</summary>
    public void Park() => Park(Timeout.Infinite);

    /// <summary>
    /// Like <see cref="Park()"/>, giving up after <paramref name="millisecondsTimeout"/> ms (-1: never). Without
    /// <paramref name="spin"/> it blocks at once: for a thread that expects a long wait and would only take a core from
    /// the threads it waits for.
    /// </summary>
    /// <param name="millisecondsTimeout">The longest to wait, in ms (-1: no limit).</param>
    /// <param name="spin">False to block at once.</param>
    /// <param name="yieldWhileSpinning">
    /// True to give the core away (<see cref="Thread.Yield"/>) between rounds of spinning: for a thread among more spinners
    /// than cores, where the thread that will unpark it may be waiting for the very core the spinner holds.
    /// </param>
    /// <returns>True when unparked; false when the timeout passed first.</returns>
    public bool Park(int millisecondsTimeout, bool spin = true, bool yieldWhileSpinning = false)
    {
        if (_signal == 0)
        {
            if (spin && CanSpin && Spin(yieldWhileSpinning))
            {
                _signal = 0;
                return true;
            }

            var deadline = millisecondsTimeout == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + millisecondsTimeout;
            lock (_gate)
            {
                Volatile.Write(ref _sleeping, 1);
                Interlocked.MemoryBarrier();
                while (_signal == 0)
                {
                    var remaining = deadline == long.MaxValue ? Timeout.Infinite : (int)Math.Max(0, deadline - Environment.TickCount64);
                    if (remaining == 0)
                    {
                        Volatile.Write(ref _sleeping, 0);
                        return false;
                    }

                    Monitor.Wait(_gate, remaining);
                }

                Volatile.Write(ref _sleeping, 0);
            }
        }

        _signal = 0;
        return true;
    }

    private bool Spin(bool yieldWhileSpinning)
    {
        // Every 16th park spins the full time, whatever the budget has shrunk to: when both sides have fallen into
        // blocking (each wakes too slowly for the other's short spin), one long spin catches the answer and the
        // budget grows back.
        var budget = (++_parks & 15) == 0 ? MaxSpinTicks : _spinTicks;
        var start = Stopwatch.GetTimestamp();
        do
        {
            for (var i = 0; i < 64; i++)
            {
                if (_signal != 0)
                {
                    _spinTicks = Math.Min(MaxSpinTicks, budget * 2);
                    return true;
                }
            }

            if (yieldWhileSpinning)
            {
                Thread.Yield();
            }
        }
        while (Stopwatch.GetTimestamp() - start < budget);

        _spinTicks = Math.Max(MinSpinTicks, _spinTicks / 2);
        return false;
    }
}
