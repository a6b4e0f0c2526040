namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>Python's <c>SayWhenError(ValueError)</c>: what <see cref="PoolIterables.ExceptionThrowingGenerator"/> raises while it is read.</summary>
public sealed class SayWhenException(string message) : ArgumentException(message)
{
}
