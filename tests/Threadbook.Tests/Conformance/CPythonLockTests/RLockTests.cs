using System.Collections.Concurrent;
using Threadbook.Threading;
using static Threadbook.Tests.Conformance.LockTestTiming;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>lock_tests.RLockTests (and the BaseLockTests it inherits) on <see cref="TracedRLock"/>, Python's <c>threading.RLock</c>.</summary>
[Trait("Category", "Conformance")]
public class RLockTests
{
    private static readonly Func<ITracedLock> LockType = () => new TracedRLock();

    [Fact] public void RLockTests_test_constructor() => BaseLockTests.test_constructor(LockType);

    [Fact] public void RLockTests_test_acquire_destroy() => BaseLockTests.test_acquire_destroy(LockType);

    [Fact] public void RLockTests_test_acquire_release() => BaseLockTests.test_acquire_release(LockType);

    [Fact] public void RLockTests_test_try_acquire() => BaseLockTests.test_try_acquire(LockType);

    [Fact] public void RLockTests_test_try_acquire_contended() => BaseLockTests.test_try_acquire_contended(LockType);

    [Fact] public void RLockTests_test_acquire_contended() => BaseLockTests.test_acquire_contended(LockType);

    [Fact] public void RLockTests_test_with() => BaseLockTests.test_with(LockType);

    [Fact] public void RLockTests_test_thread_leak() => BaseLockTests.test_thread_leak(LockType);

    [Fact] public void RLockTests_test_timeout() => BaseLockTests.test_timeout(LockType);

    [Fact] public void RLockTests_test_weakref_exists() => BaseLockTests.test_weakref_exists(LockType);

    [Fact] public void RLockTests_test_weakref_deleted() => BaseLockTests.test_weakref_deleted(LockType);

    [Fact]
    public void RLockTests_test_reacquire()
    {
        var rlock = new TracedRLock();
        rlock.Acquire();
        rlock.Acquire();
        rlock.Release();
        rlock.Acquire();
        rlock.Release();
        rlock.Release();
        rlock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void RLockTests_test_release_unacquired()
    {
        // Cannot release an unacquired lock
        var rlock = new TracedRLock();
        FluentActions.Invoking(rlock.Release).Should().Throw<SynchronizationLockException>();
        rlock.Acquire();
        rlock.Acquire();
        rlock.Release();
        rlock.Acquire();
        rlock.Release();
        rlock.Release();
        FluentActions.Invoking(rlock.Release).Should().Throw<SynchronizationLockException>();
    }

    [Fact]
    public void RLockTests_test_locked()
    {
        var rlock = new TracedRLock();
        rlock.IsHeld.Should().BeFalse();
        rlock.Acquire();
        rlock.IsHeld.Should().BeTrue();
        rlock.Acquire();
        rlock.IsHeld.Should().BeTrue();
        rlock.Release();
        rlock.IsHeld.Should().BeTrue();
        rlock.Release();
        rlock.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void RLockTests_test_locked_with_2threads()
    {
        // gh-134323: an RLock acquired in a different thread is still locked in the main thread.
        var result = new ConcurrentQueue<bool>();
        var rlock = new TracedRLock();
        rlock.IsHeld.Should().BeFalse();
        Bunch.Run(() =>
        {
            result.Enqueue(rlock.IsHeld);
            rlock.Acquire();
            result.Enqueue(rlock.IsHeld);
        }, 1);
        rlock.IsHeld.Should().BeTrue();
        result.Should().Equal(false, true);
    }

    [Fact]
    public void RLockTests_test_recursion_count()
    {
        var rlock = new TracedRLock();
        rlock.RecursionCountOfCurrentThread.Should().Be(0);
        rlock.Acquire();
        rlock.RecursionCountOfCurrentThread.Should().Be(1);
        rlock.Acquire();
        rlock.Acquire();
        rlock.RecursionCountOfCurrentThread.Should().Be(3);
        rlock.Release();
        rlock.RecursionCountOfCurrentThread.Should().Be(2);
        rlock.Release();
        rlock.Release();
        rlock.RecursionCountOfCurrentThread.Should().Be(0);

        var phase = new ConcurrentQueue<object?>();
        var thread = new Thread(() =>
        {
            rlock.Acquire();
            phase.Enqueue(null);
            LockTests.WaitPhase(phase, 2);
            rlock.Release();
            phase.Enqueue(null);
        }) { IsBackground = true };

        // Thread blocked on lock.acquire()
        thread.Start();
        LockTests.WaitPhase(phase, 1);
        rlock.RecursionCountOfCurrentThread.Should().Be(0);

        // Thread unblocked
        phase.Enqueue(null);
        LockTests.WaitPhase(phase, 3);
        rlock.RecursionCountOfCurrentThread.Should().Be(0);
        thread.Join(ShortTimeout).Should().BeTrue();
    }

    [Fact]
    public void RLockTests_test_different_thread()
    {
        // Cannot release from a different thread
        var rlock = new TracedRLock();
        Bunch.Run(() => rlock.Acquire(), 1, bunch =>
        {
            try
            {
                FluentActions.Invoking(rlock.Release).Should().Throw<SynchronizationLockException>();
            }
            finally
            {
                bunch.DoFinish();
            }
        }, waitBeforeExit: true);
    }

    [Fact]
    public void RLockTests_test__is_owned()
    {
        var rlock = new TracedRLock();
        rlock.IsHeldByCurrentThread.Should().BeFalse();
        rlock.Acquire();
        rlock.IsHeldByCurrentThread.Should().BeTrue();
        rlock.Acquire();
        rlock.IsHeldByCurrentThread.Should().BeTrue();
        var result = new ConcurrentQueue<bool>();
        Bunch.Run(() => result.Enqueue(rlock.IsHeldByCurrentThread), 1);
        result.Should().Equal(false);
        rlock.Release();
        rlock.IsHeldByCurrentThread.Should().BeTrue();
        rlock.Release();
        rlock.IsHeldByCurrentThread.Should().BeFalse();
    }
}
