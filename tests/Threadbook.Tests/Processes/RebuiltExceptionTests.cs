using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>A child's exception comes back as its own type when this process can build it, as Python's pool re-raises it.</summary>
public class RebuiltExceptionTests(SharedPool shared) : IClassFixture<SharedPool>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ProcessPool _pool = shared.Pool;

    [Fact]
    public void an_invalid_operation_in_a_worker_is_caught_as_invalid_operation_with_the_childs_pid_and_stack()
    {
        InvalidOperationException? caught = null;
        try
        {
            _pool.Apply(Jobs.Throw, "wrong state");
        }
        catch (InvalidOperationException e)
        {
            caught = e;
        }

        caught.Should().NotBeNull();
        caught!.Message.Should().Be("wrong state");
        var remote = caught.InnerException.Should().BeOfType<RemoteException>().Subject;
        _pool.WorkerProcessIds.Should().Contain(remote.ProcessId);
        remote.ProcessId.Should().NotBe(Environment.ProcessId);
        remote.RemoteStackTrace.Should().Contain("Jobs.Throw");
        caught.StackTrace.Should().Contain("Jobs.Throw", "the child's stack comes first in the rebuilt exception's stack")
            .And.Contain($"in process {remote.ProcessId}");
    }

    [Fact]
    public void an_exception_type_declared_in_worker_code_is_rebuilt()
    {
        var result = _pool.ApplyAsync(Jobs.ThrowWorkerCodeException, ["custom"]);

        var get = () => result.Get(Patience);

        get.Should().Throw<WorkerCodeException>().WithMessage("custom").Which.InnerException.Should().BeOfType<RemoteException>();
    }

    [Fact]
    public void a_type_with_only_a_message_constructor_keeps_the_remote_side_in_its_data()
    {
        var apply = () => _pool.Apply(Jobs.ThrowMessageOnlyException, "only a message");

        var thrown = apply.Should().Throw<MessageOnlyException>().WithMessage("only a message").Which;
        thrown.InnerException.Should().BeNull();
        RemoteException.Of(thrown)!.RemoteTypeName.Should().Be(typeof(MessageOnlyException).FullName);
    }

    [Fact]
    public void a_type_the_parent_cannot_build_falls_back_to_remote_exception_naming_the_type()
    {
        var apply = () => _pool.Apply(Jobs.ThrowUnbuildable, 7);

        var thrown = apply.Should().Throw<RemoteException>().Which;
        thrown.RemoteTypeName.Should().Be(typeof(UnbuildableException).FullName);
        thrown.Message.Should().Contain(typeof(UnbuildableException).FullName!).And.Contain("failure code 7");
    }

    [Fact]
    public void the_error_callback_gets_the_same_rebuilt_exception_get_throws()
    {
        Exception? reported = null;
        var result = _pool.ApplyAsync(Jobs.Throw, ["to the callback"], errorCallback: e => reported = e);

        var get = () => result.Get(Patience);

        var thrown = get.Should().Throw<InvalidOperationException>().Which;
        reported.Should().BeSameAs(thrown);
    }

    [Fact]
    public void a_childs_exception_is_its_own_type_in_error()
    {
        using var child = ChildProcess.Start(Jobs.ThrowWorkerCodeException, "from a child");
        child.Join(Patience).Should().BeTrue();

        child.Error.Should().BeOfType<WorkerCodeException>().Which.Message.Should().Be("from a child");
        RemoteException.Of(child.Error!)!.ProcessId.Should().Be(child.Pid!.Value);
    }
}
