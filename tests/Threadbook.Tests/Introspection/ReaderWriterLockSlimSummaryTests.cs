using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class ReaderWriterLockSlimSummaryTests
{
    [Fact]
    public void a_read_lock_held_by_the_calling_thread_is_counted_and_named()
    {
        using var gate = new ReaderWriterLockSlim(LockRecursionPolicy.SupportsRecursion);
        gate.EnterReadLock();
        try
        {
            var summary = ReaderWriterLockSlimSummary.Of(gate);

            summary.CurrentReadCount.Should().Be(1);
            summary.IsReadLockHeld.Should().BeTrue();
            summary.ShouldHaveFact("readers inside (all threads)", "1");
            summary.ShouldHaveFact("calling thread holds", "a read lock");
            summary.ShouldHaveFact("recursion policy", "SupportsRecursion");
        }
        finally
        {
            gate.ExitReadLock();
        }
    }

    [Fact]
    public void a_write_lock_held_by_another_thread_is_not_visible_and_the_view_says_so()
    {
        using var gate = new ReaderWriterLockSlim();

        AnotherThread.WhileHolding(gate.EnterWriteLock, gate.ExitWriteLock, () =>
        {
            var summary = ReaderWriterLockSlimSummary.Of(gate);

            summary.IsWriteLockHeld.Should().BeFalse("the calling thread is not the writer");
            summary.ShouldHaveFact("calling thread holds", "nothing");
            summary.ShouldHaveFact("write or upgradeable lock held by another thread", "not exposed by .NET (IsWriteLockHeld etc. answer for the calling thread only)");
            summary.ShouldHaveFact("waiting to read / upgrade / write", "0 / 0 / 0");
        });
    }

    [Fact]
    public void a_disposed_reader_writer_lock_renders()
    {
        var gate = new ReaderWriterLockSlim();
        gate.Dispose();

        ReaderWriterLockSlimSummary.Of(gate).ShouldShowInBoth("NoRecursion", "a disposed ReaderWriterLockSlim still answers these");
    }
}
