using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class LockSummaryTests
{
    [Fact]
    public void a_lock_held_by_the_calling_thread_says_so()
    {
        var gate = new Lock();
        using (gate.EnterScope())
        {
            var summary = LockSummary.Of(gate);

            summary.IsHeldByCallingThread.Should().BeTrue();
            summary.ShouldHaveFact("held by the calling thread", "yes");
        }
    }

    [Fact]
    public void a_lock_held_by_another_thread_says_that_is_not_exposed()
    {
        var gate = new Lock();

        AnotherThread.WhileHolding(gate.Enter, gate.Exit, () =>
        {
            var summary = LockSummary.Of(gate);

            summary.ShouldHaveFact("held by the calling thread", "no");
            summary.ShouldHaveFact("held by another thread", "not exposed by .NET");
            summary.ShouldShowInBoth("waiting threads", "TracedLock");
        });
    }
}
