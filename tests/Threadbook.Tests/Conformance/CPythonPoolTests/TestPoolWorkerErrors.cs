using Threadbook.Processes;

namespace Threadbook.Tests.Conformance.CPythonPoolTests;

/// <summary>CPython's <c>_TestPoolWorkerErrors</c>, ported.</summary>
[Trait("Category", "Conformance")]
public class TestPoolWorkerErrors
{
    [Fact]
    public void TestPoolWorkerErrors_test_async_error_callback()
    {
        var p = new ProcessPool(2);
        Exception? scratchpad = null;

        var res = p.ApplyAsync(PoolFunctions.RaiseKeyError, errorCallback: exc => scratchpad = exc);

        res.Invoking(r => r.Get()).Should().Throw<KeyNotFoundException>("KeyError → KeyNotFoundException");
        scratchpad.Should().BeOfType<KeyNotFoundException>();
        p.Close();
        p.Join();
    }

    [Fact]
    public void TestPoolWorkerErrors_test_unpickleable_result()
    {
        var p = new ProcessPool(2);
        var pids = p.WorkerProcessIds;

        // Make sure we don't lose pool processes because of encoding errors.
        for (var iteration = 0; iteration < 20; iteration++)
        {
            Exception? scratchpad = null;
            var res = p.ApplyAsync(PoolFunctions.UnpickleableResult, errorCallback: exc => scratchpad = exc);

            // MaybeEncodingError → the exception the worker's serializer threw, as its own type.
            var wrapped = res.Invoking(r => r.Get()).Should().Throw<NotSupportedException>().Which;
            scratchpad.Should().BeSameAs(wrapped);
            wrapped.Message.Should().Contain("Func", "exc names what could not travel");
            RemoteException.Of(wrapped).Should().NotBeNull("the value's side: the worker and call it came from");
        }

        p.WorkerProcessIds.Should().BeEquivalentTo(pids, "no worker was lost");
        p.Close();
        p.Join();
    }
}
