using Threadbook.Threading;

namespace Threadbook.Tests.Conformance.CPythonLockTests;

/// <summary>
/// lock_tests.BoundedSemaphoreTests (and the BaseSemaphoreTests it inherits) on <see cref="TracedSemaphore.Bounded"/>,
/// Python's <c>threading.BoundedSemaphore</c>.
/// </summary>
[Trait("Category", "Conformance")]
public class BoundedSemaphoreTests
{
    private static readonly Func<int, TracedSemaphore> SemType = value => TracedSemaphore.Bounded(value);
    private static readonly Func<TracedSemaphore> SemTypeDefault = () => TracedSemaphore.Bounded();

    [Fact] public void BoundedSemaphoreTests_test_constructor() => BaseSemaphoreTests.test_constructor(SemType);

    [Fact] public void BoundedSemaphoreTests_test_acquire() => BaseSemaphoreTests.test_acquire(SemType);

    [Fact] public void BoundedSemaphoreTests_test_acquire_destroy() => BaseSemaphoreTests.test_acquire_destroy(SemTypeDefault);

    [Fact] public void BoundedSemaphoreTests_test_acquire_contended() => BaseSemaphoreTests.test_acquire_contended(SemType);

    [Fact] public void BoundedSemaphoreTests_test_multirelease() => BaseSemaphoreTests.test_multirelease(SemType);

    [Fact] public void BoundedSemaphoreTests_test_try_acquire() => BaseSemaphoreTests.test_try_acquire(SemType);

    [Fact] public void BoundedSemaphoreTests_test_try_acquire_contended() => BaseSemaphoreTests.test_try_acquire_contended(SemType);

    [Fact] public void BoundedSemaphoreTests_test_acquire_timeout() => BaseSemaphoreTests.test_acquire_timeout(SemType);

    [Fact] public void BoundedSemaphoreTests_test_default_value() => BaseSemaphoreTests.test_default_value(SemTypeDefault);

    [Fact] public void BoundedSemaphoreTests_test_with() => BaseSemaphoreTests.test_with(SemType);

    [Fact]
    public void BoundedSemaphoreTests_test_release_unacquired()
    {
        // Cannot go past the initial value
        var sem = TracedSemaphore.Bounded();
        FluentActions.Invoking(() => sem.Release()).Should().Throw<SemaphoreFullException>();
        sem.Acquire();
        sem.Release();
        FluentActions.Invoking(() => sem.Release()).Should().Throw<SemaphoreFullException>();
    }
}
