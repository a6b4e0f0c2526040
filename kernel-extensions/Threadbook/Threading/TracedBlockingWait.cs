using Threadbook.Rendering;
using Threadbook.Tracing;

namespace Threadbook.Threading;

/// <summary>
/// The contended acquire of a traced lock or semaphore from the moment it decides to wait: it records
/// <see cref="TraceEventKind.WaitBegan"/>, blocks in <see cref="BlockingAcquire"/>, and ends with one
/// <see cref="TraceEventKind.WaitEnded"/> (or, when the detector ended it, a <see cref="DeadlockException"/>).
/// </summary>
/// <remarks>
/// Whether to record is decided once, as the wait begins, so a trace started mid-wait never sees an end without
/// its beginning. Each caller records its own <see cref="WaitOutcome.Satisfied"/> end: a lock records it before
/// its <see cref="TraceEventKind.Acquired"/> event, a semaphore (which records that while taking the slot) after.
/// </remarks>
internal readonly struct TracedBlockingWait
{
    private readonly IBlockingTarget _target;
    private readonly WaitKind _waitKind;
    private readonly bool _recording;

    private TracedBlockingWait(IBlockingTarget target, WaitKind waitKind, bool recording)
    {
        _target = target;
        _waitKind = waitKind;
        _recording = recording;
    }

    /// <summary>Begins the calling thread's wait for <paramref name="target"/>, which <paramref name="relatedThreadId"/> holds (0: unknown).</summary>
    public static TracedBlockingWait Begin(IBlockingTarget target, WaitKind waitKind, int relatedThreadId)
    {
        var recording = TraceRecorder.Active is not null;
        if (recording)
        {
            TraceRecorder.Record(TraceEventKind.WaitBegan, target.ObjectId, waitKind, relatedThreadId: relatedThreadId);
        }

        return new TracedBlockingWait(target, waitKind, recording);
    }

    /// <summary>Runs <see cref="BlockingAcquire.Run"/>; an interrupted wait ends as <see cref="WaitOutcome.Cancelled"/> and rethrows.</summary>
    public (bool Acquired, DeadlockReport? Verdict) Block(Deadline deadline)
    {
        try
        {
            return BlockingAcquire.Run(_target, deadline);
        }
        catch (ThreadInterruptedException)
        {
            End(WaitOutcome.Cancelled);
            throw;
        }
    }

    /// <summary>Records the end of the wait, if the trace was recording when it began.</summary>
    public void End(WaitOutcome outcome, int relatedThreadId = 0)
    {
        if (_recording)
        {
            TraceRecorder.Record(TraceEventKind.WaitEnded, _target.ObjectId, _waitKind, outcome, relatedThreadId: relatedThreadId);
        }
    }

    /// <summary>
    /// Ends a wait that did not take the target: as <see cref="WaitOutcome.TimedOut"/>, or, when the detector
    /// handed it <paramref name="verdict"/>, as <see cref="WaitOutcome.Deadlocked"/> followed by the exception.
    /// </summary>
    /// <exception cref="DeadlockException"><paramref name="verdict"/> is not null.</exception>
    public void EndWithoutAcquiring(DeadlockReport? verdict, int relatedThreadId)
    {
        End(verdict is null ? WaitOutcome.TimedOut : WaitOutcome.Deadlocked, relatedThreadId);
        if (verdict is not null)
        {
            throw new DeadlockException(
                verdict, $"The wait of {ThreadLabel.Current()} for {_target.Kind} '{_target.Name}' was ended to break it.");
        }
    }
}
