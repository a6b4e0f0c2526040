using Threadbook.Scheduling;

namespace Threadbook.Threading;

/// <summary>
/// Something a thread can block on that may have a single definite owner: a node of the wait-for graph the
/// deadlock detector walks (and the interleaving explorer's, see <see cref="IScheduledObject"/>). Locks always
/// qualify; semaphores only while held by exactly one thread.
/// </summary>
internal interface IWaitTarget : IScheduledObject
{
    /// <summary>
    /// The managed id of the one thread that holds this and alone can give it up, or 0 when it is free or
    /// ownership is not definite (a semaphore with several holders, a lock another thread has released).
    /// Read without a lock; the detector validates what it reads (see <see cref="WaitForGraph.FindCycle"/>).
    /// </summary>
    int DefiniteOwnerId { get; }

    /// <summary>
    /// True when only its owner can give it up (an <see cref="TracedRLock"/>): a cycle made only of such waits, all
    /// untimed, can never resolve. False when any thread may release it (a <see cref="TracedLock"/>, a
    /// <see cref="TracedSemaphore"/>, as in Python), so a thread outside the cycle might still end it; false is the
    /// safe default (the cycle is only reported, never ended).
    /// </summary>
    bool OnlyOwnerReleases => false;
}
