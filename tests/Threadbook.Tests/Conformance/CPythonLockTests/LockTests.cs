using System.Collections.Concurrent;
using Threadbook.Threading;
using static Threadbook.Tests.Conformance.LockTestTiming;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>lock_tests.LockTests (and the BaseLockTests it inherits) on <see cref="TracedLock"/>, Python's <c>threading.Lock</c>.</summary>
[Trait("Category", "Conformance")]
public class LockTests
{
    private static readonly Func<ITracedLock> LockType = () => new TracedLock();

    [Fact] public void LockTests_test_constructor() => BaseLockTests.test_constructor(LockType);

    [Fact] public void LockTests_test_acquire_destroy() => BaseLockTests.test_acquire_destroy(LockType);

    [Fact] public void LockTests_test_acquire_release() => BaseLockTests.test_acquire_release(LockType);

    [Fact] public void LockTests_test_try_acquire() => BaseLockTests.test_try_acquire(LockType);

    [Fact] public void LockTests_test_try_acquire_contended() => BaseLockTests.test_try_acquire_contended(LockType);

    [Fact] public void LockTests_test_acquire_contended() => BaseLockTests.test_acquire_contended(LockType);

    [Fact] public void LockTests_test_with() => BaseLockTests.test_with(LockType);

    [Fact] public void LockTests_test_thread_leak() => BaseLockTests.test_thread_leak(LockType);

    [Fact] public void LockTests_test_timeout() => BaseLockTests.test_timeout(LockType);

    [Fact] public void LockTests_test_weakref_exists() => BaseLockTests.test_weakref_exists(LockType);

    [Fact] public void LockTests_test_weakref_deleted() => BaseLockTests.test_weakref_deleted(LockType);

    [Fact]
    public void LockTests_test_reacquire()
    {
        // Lock needs to be released before re-acquiring.
        var lockObject = new TracedLock();
        var phase = new ConcurrentQueue<object?>();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                lockObject.Acquire();
                phase.Enqueue(null);
                lockObject.Acquire();
                phase.Enqueue(null);
            }
            catch (Exception exception)
            {
                failure = exception;
                phase.Enqueue(null);
            }
        }) { IsBackground = true };

        // Thread blocked on lock.acquire()
        thread.Start();
        WaitPhase(phase, 1);

        // Thread unblocked
        lockObject.Release();
        WaitPhase(phase, 2);
        thread.Join(ShortTimeout).Should().BeTrue();
        failure.Should().BeNull();
    }

    [Fact]
    public void LockTests_test_different_thread()
    {
        // Lock can be released from a different thread.
        var lockObject = new TracedLock();
        lockObject.Acquire();
        Bunch.Run(lockObject.Release, 1);
        lockObject.Acquire();
        lockObject.Release();
    }

    [Fact]
    public void LockTests_test_state_after_timeout()
    {
        // Issue #11618: check that lock is in a proper state after a (non-zero) timeout.
        var lockObject = new TracedLock();
        lockObject.Acquire();
        lockObject.Acquire(TimeSpan.FromSeconds(0.01)).Should().BeFalse();
        lockObject.Release();
        lockObject.IsHeld.Should().BeFalse();
        lockObject.Acquire(TimeSpan.Zero).Should().BeTrue();
    }

    /// <summary>BaseLockTests.wait_phase.</summary>
    internal static void WaitPhase<T>(ConcurrentQueue<T> phase, int expected)
    {
        WaitUntil(() => phase.Count >= expected, $"phase {expected}");
        phase.Count.Should().Be(expected);
    }
}
