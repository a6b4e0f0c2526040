using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

/// <summary>A pool shown live without a notebook: what a console program gets from <see cref="PoolLiveView"/>.</summary>
public sealed class PoolLiveViewTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void a_live_view_redraws_as_tasks_finish_and_keeps_each_workers_output_in_its_own_block()
    {
        using var pool = new ProcessPool(2);
        Action<ProcessOutput> before = _ => { };
        pool.Output = before;
        var redraws = 0;
        string? lastText = null;
        var view = new PoolLiveView(pool);

        view.Start(v => { Interlocked.Increment(ref redraws); lastText = v.ToText(); }, TimeSpan.FromMilliseconds(20));
        var say = Enumerable.Range(0, 4).Select(i => pool.ApplyAsync(Jobs.Say, [$"line {i}"])).ToList();
        say.Should().AllSatisfy(r => r.Wait(Patience).Should().BeTrue());
        pool.Close();
        pool.Join(Patience).Should().BeTrue();
        // A worker's output reaches us by its standard output and error, not with its result: wait for the lines
        // themselves (Say writes one line to each).
        Eventually.True(() => view.LineCount == 8, $"every line a worker wrote while watched reached the view (it has {view.LineCount})", seconds: 30);
        view.Stop();

        redraws.Should().BeGreaterThan(1, "the view is redrawn as tasks finish, and once more when it stops");
        lastText.Should().Contain("ProcessPool(2): closed").And.Contain("--- worker ");
        for (var i = 0; i < 4; i++)
        {
            // Standard output and error are two pipes: their lines interleave in either order.
            lastText.Should().MatchRegex($@"--- worker \d+, pid (\d+): \d line\(s\) ---(\n.*)*\nline {i}\b")
                .And.MatchRegex($@"--- worker \d+, pid (\d+): \d line\(s\) ---(\n.*)*\n\[stderr\] error stream: line {i}\b");
        }

        pool.Output.Should().BeSameAs(before, "stopping gives the pool its previous output handler back");
        var afterStop = Volatile.Read(ref redraws);
        Thread.Sleep(100);
        Volatile.Read(ref redraws).Should().Be(afterStop, "a stopped view is not redrawn");
    }

    [Fact]
    public void a_view_is_started_once()
    {
        using var pool = new ProcessPool(1);
        using var view = new PoolLiveView(pool);
        view.Start(_ => { }, TimeSpan.FromMilliseconds(50));

        var again = () => view.Start(_ => { }, TimeSpan.FromMilliseconds(50));

        again.Should().Throw<InvalidOperationException>();
    }
}
