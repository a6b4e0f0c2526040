namespace Threadbook.Tests.Conformance.Greenlet;

/// <summary>greenlet's tests' <c>SomeError</c>.</summary>
public sealed class SomeError : Exception
{
    public SomeError()
        : base("SomeError")
    {
    }

    public SomeError(string message)
        : base(message)
    {
    }

    public SomeError(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
