namespace Threadbook.Fibers;

/// <summary>
/// The exception that ends a fiber quietly, like greenlet's <c>GreenletExit</c>. <see cref="Fiber.Throw"/> raises it
/// by default, and <see cref="Fiber.Kill"/> and <see cref="Fiber.Dispose"/> raise it at the suspended
/// <see cref="Fiber.Switch"/> of the fiber they end. When it escapes a fiber's function it is not an error: the fiber
/// dies, and instead of an exception its parent receives this exception object as the value of its own
/// <see cref="Fiber.Switch"/>.
/// </summary>
/// <remarks>Catch it only to clean up, and let it go on: a fiber that swallows it keeps running.</remarks>
public sealed class FiberExit : Exception
{
    /// <summary>Creates the exit exception with a default message.</summary>
    public FiberExit()
        : base("The fiber was asked to exit.")
    {
    }

    /// <summary>Creates the exit exception with <paramref name="message"/>.</summary>
    public FiberExit(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exit exception with <paramref name="message"/> and the exception that caused it.</summary>
    public FiberExit(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
