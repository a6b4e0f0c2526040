using Threadbook.Threading;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>lock_tests.SemaphoreTests (and the BaseSemaphoreTests it inherits) on <see cref="TracedSemaphore"/>, Python's <c>threading.Semaphore</c>.</summary>
[Trait("Category", "Conformance")]
public class SemaphoreTests
{
    private static readonly Func<int, TracedSemaphore> SemType = value => new TracedSemaphore(value);
    private static readonly Func<TracedSemaphore> SemTypeDefault = () => new TracedSemaphore();

    [Fact] public void SemaphoreTests_test_constructor() => BaseSemaphoreTests.test_constructor(SemType);

    [Fact] public void SemaphoreTests_test_acquire() => BaseSemaphoreTests.test_acquire(SemType);

    [Fact] public void SemaphoreTests_test_acquire_destroy() => BaseSemaphoreTests.test_acquire_destroy(SemTypeDefault);

    [Fact] public void SemaphoreTests_test_acquire_contended() => BaseSemaphoreTests.test_acquire_contended(SemType);

    [Fact] public void SemaphoreTests_test_multirelease() => BaseSemaphoreTests.test_multirelease(SemType);

    [Fact] public void SemaphoreTests_test_try_acquire() => BaseSemaphoreTests.test_try_acquire(SemType);

    [Fact] public void SemaphoreTests_test_try_acquire_contended() => BaseSemaphoreTests.test_try_acquire_contended(SemType);

    [Fact] public void SemaphoreTests_test_acquire_timeout() => BaseSemaphoreTests.test_acquire_timeout(SemType);

    [Fact] public void SemaphoreTests_test_default_value() => BaseSemaphoreTests.test_default_value(SemTypeDefault);

    [Fact] public void SemaphoreTests_test_with() => BaseSemaphoreTests.test_with(SemType);

    [Fact]
    public void SemaphoreTests_test_release_unacquired()
    {
        // Unbounded releases are allowed and increment the semaphore's value
        var sem = new TracedSemaphore(1);
        sem.Release();
        sem.Acquire();
        sem.Acquire();
        sem.Release();
        sem.CurrentCount.Should().Be(1);
    }
}
