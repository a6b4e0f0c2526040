namespace Threadbook.Threading;

/// <summary>
/// Thrown by <see cref="TracedBarrier.Wait()"/> when the barrier is broken, or breaks while the thread waits: Python's
/// <c>threading.BrokenBarrierError</c>. A barrier breaks when a waiter times out, when <see cref="TracedBarrier.Abort"/>
/// is called, when its action throws, and, for the threads waiting at that moment, when <see cref="TracedBarrier.Reset"/>
/// is called. The message says which.
/// </summary>
/// <remarks>Python's class derives from <c>RuntimeError</c>; catch this type by name.</remarks>
public sealed class BrokenBarrierException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public BrokenBarrierException()
        : base("The barrier is broken.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public BrokenBarrierException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the exception that caused it.</summary>
    public BrokenBarrierException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
