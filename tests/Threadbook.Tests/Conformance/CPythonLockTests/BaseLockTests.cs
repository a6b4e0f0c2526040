using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Threadbook.Threading;
using static Threadbook.Tests.Conformance.LockTestTiming;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>
/// lock_tests.BaseLockTests: the tests both kinds of lock pass. <see cref="LockTests"/> runs each on
/// <see cref="TracedLock"/> and <see cref="RLockTests"/> on <see cref="TracedRLock"/>.
/// </summary>
internal static class BaseLockTests
{
    public static void test_constructor(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        lockObject.IsHeld.Should().BeFalse("a new lock is unlocked");
    }

    public static void test_acquire_destroy(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        lockObject.Acquire().Should().BeTrue();
        // del lock: dropping a held lock is allowed and needs no release.
    }

    public static void test_acquire_release(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        lockObject.Acquire();
        lockObject.Release();
        lockObject.IsHeld.Should().BeFalse();
    }

    public static void test_try_acquire(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        lockObject.Acquire(TimeSpan.Zero).Should().BeTrue();
        lockObject.Release();
    }

    public static void test_try_acquire_contended(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        lockObject.Acquire();
        var result = new ConcurrentQueue<bool>();
        Bunch.Run(() => result.Enqueue(lockObject.Acquire(TimeSpan.Zero)), 1);
        result.Should().Equal(false);
        lockObject.Release();
    }

    public static void test_acquire_contended(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        lockObject.Acquire();
        void F()
        {
            lockObject.Acquire();
            lockObject.Release();
        }

        const int N = 5;
        Bunch.Run(F, N, bunch =>
        {
            // Threads block on lock.acquire()
            WaitThreadsBlocked(N);
            bunch.FinishedCount.Should().Be(0);

            // Threads unblocked
            lockObject.Release();
        });

        // Bunch.Run returned: all N threads finished.
        lockObject.IsHeld.Should().BeFalse();
    }

    public static void test_with(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        void F()
        {
            lockObject.Acquire();
            lockObject.Release();
        }

        // Acquire the lock, do nothing, with releases the lock
        using (lockObject.Hold())
        {
        }

        // Check that the lock is unacquired
        Bunch.Run(F, 1);

        // Acquire the lock, raise an exception, with releases the lock
        FluentActions.Invoking(() =>
        {
            using (lockObject.Hold())
            {
                throw new InvalidCastException("TypeError");
            }
        }).Should().Throw<InvalidCastException>();

        // Check that the lock is unacquired even after an exception was raised in the previous "with lock:" block
        Bunch.Run(F, 1);
        lockObject.IsHeld.Should().BeFalse();
    }

    public static void test_thread_leak(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        void F()
        {
            lockObject.Acquire();
            lockObject.Release();
        }

        // Many threads, in the hope that thread ids get recycled: the lock must not keep state about them.
        Bunch.Run(F, 15);
        lockObject.IsHeld.Should().BeFalse();
        lockObject.WaiterCount.Should().Be(0);
    }

    public static void test_timeout(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();

        // Can't set timeout if not blocking: C#'s overloads have no blocking flag, so that ValueError cannot arise.
        // Invalid timeout values
        FluentActions.Invoking(() => lockObject.Acquire(TimeSpan.FromSeconds(-100))).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => lockObject.Acquire(TimeSpan.MaxValue)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => lockObject.Acquire(TimeSpan.FromMilliseconds(int.MaxValue + 1.0))).Should().Throw<ArgumentOutOfRangeException>();

        // TIMEOUT_MAX is ok
        lockObject.Acquire(TimeSpan.FromMilliseconds(int.MaxValue)).Should().BeTrue();
        lockObject.Release();
        var elapsed = Time(() => lockObject.Acquire(TimeSpan.FromSeconds(5)).Should().BeTrue());
        // Just a sanity test that it didn't actually wait for the timeout.
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));

        var results = new ConcurrentQueue<(bool Acquired, TimeSpan Elapsed)>();
        Bunch.Run(() =>
        {
            var acquired = false;
            var took = Time(() => acquired = lockObject.Acquire(TimeSpan.FromSeconds(0.5)));
            results.Enqueue((acquired, took));
        }, 1);
        var (result, dt) = results.Single();
        result.Should().BeFalse();
        AssertTimeout(dt, TimeSpan.FromSeconds(0.5));
    }

    public static void test_weakref_exists(Func<ITracedLock> locktype)
    {
        var lockObject = locktype();
        var reference = new WeakReference(lockObject);
        reference.IsAlive.Should().BeTrue();
        GC.KeepAlive(lockObject);
    }

    public static void test_weakref_deleted(Func<ITracedLock> locktype)
    {
        var reference = MakeAndDrop(locktype);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        reference.IsAlive.Should().BeFalse("nothing in Threadbook keeps a dropped lock alive");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MakeAndDrop(Func<ITracedLock> locktype) => new(locktype());
}
