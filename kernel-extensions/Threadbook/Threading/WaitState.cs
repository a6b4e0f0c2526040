namespace Threadbook.Threading;

/// <summary>Where a <see cref="BlockedWait"/> is in its loop.</summary>
internal enum WaitState
{
    /// <summary>Trying to take the resource (or about to): not blocked.</summary>
    Attempting,

    /// <summary>The last attempt failed and no new one has started: blocked.</summary>
    Blocked,

    /// <summary>The wait is over (acquired, timed out or ended by a deadlock).</summary>
    Finished,
}
