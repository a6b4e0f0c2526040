using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>One pool of two workers for the tests that leave it running (starting workers is the slow part).</summary>
public sealed class SharedPool : IDisposable
{
    public ProcessPool Pool { get; } = new(2);

    public void Dispose() => Pool.Dispose();
}
