using Threadbook.Processes;

namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>Python's <c>_TestPool.setUpClass</c>: one <c>Pool(4)</c> for the class, terminated and joined at the end.</summary>
public sealed class SharedPoolOfFour : IDisposable
{
    public ProcessPool Pool { get; } = new(4);

    public void Dispose()
    {
        Pool.Terminate();
        Pool.Join(PythonTimeouts.Patience);
    }
}
