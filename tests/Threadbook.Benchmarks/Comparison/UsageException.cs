namespace Threadbook.Benchmarks.Comparison;

/// <summary>A command line that cannot be run; the program prints the message and exits with code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
