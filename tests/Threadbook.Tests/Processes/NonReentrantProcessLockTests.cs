using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>Python's <c>multiprocessing.Lock</c>: not re-entrant, releasable by anyone, over-release is an error.</summary>
public class NonReentrantProcessLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void a_second_acquire_by_the_holding_thread_times_out_instead_of_nesting()
    {
        using var gate = NonReentrantProcessLock.Create();

        gate.Acquire().Should().BeTrue();
        gate.Acquire(TimeSpan.FromMilliseconds(100)).Should().BeFalse("Python's Lock blocks a second acquire by its holder");
        gate.Release();

        gate.IsHeld.Should().BeFalse("one release frees it: there was no nesting");
    }

    [Fact]
    public void releasing_a_free_lock_throws_pythons_message()
    {
        using var gate = NonReentrantProcessLock.Create();

        var release = () => gate.Release();

        release.Should().Throw<SynchronizationLockException>().WithMessage("semaphore or lock released too many times*");
    }

    [Fact]
    public void another_thread_may_release_it_and_wake_a_waiting_holder()
    {
        using var gate = NonReentrantProcessLock.Create();
        gate.Acquire();
        var releaser = new Thread(() =>
        {
            Thread.Sleep(100);
            gate.Release();
        });
        releaser.Start();

        gate.Acquire(Patience).Should().BeTrue("the other thread's release lets the holder take it again");

        releaser.Join();
        gate.Release();
    }

    [Fact]
    public void a_child_process_sees_it_taken_and_may_release_it()
    {
        using var gate = NonReentrantProcessLock.Create();
        gate.Acquire();

        using (var probe = ChildProcess.Start(Jobs.TryTakePlainLock, gate))
        {
            probe.Join(Patience).Should().BeTrue();
            probe.Result.Should().Be(false, "the parent holds it");
        }

        using (var releaser = ChildProcess.Start(Jobs.ReleasePlainLock, gate))
        {
            releaser.Join(Patience).Should().BeTrue();
            releaser.Error.Should().BeNull();
        }

        gate.IsHeld.Should().BeFalse("the child released the parent's lock, as Python's Lock allows");
    }
}
