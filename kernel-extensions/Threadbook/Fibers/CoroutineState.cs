namespace Threadbook.Fibers;

/// <summary>Where a <see cref="Coroutine"/> of a <see cref="Hub"/> is in its life.</summary>
public enum CoroutineState
{
    /// <summary>Spawned; the hub has not started it yet (it starts on the hub's next turn).</summary>
    Pending,

    /// <summary>Its code is what the hub's thread runs now.</summary>
    Running,

    /// <summary>Waiting at an <c>await</c> (a sleep, a yield, I/O, another task); the others run meanwhile.</summary>
    Suspended,

    /// <summary>Its function completed (gevent: <c>successful()</c>).</summary>
    Succeeded,

    /// <summary>Its function threw; <see cref="Coroutine.Exception"/> says what.</summary>
    Faulted,

    /// <summary>Its task was cancelled (an <see cref="OperationCanceledException"/> escaped it).</summary>
    Canceled,
}
