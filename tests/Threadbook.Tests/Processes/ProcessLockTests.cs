using Threadbook.Processes;

namespace Threadbook.Tests.Processes;

public class ProcessLockTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void it_excludes_across_processes()
    {
        using var gate = ProcessLock.Create();
        var log = Path.Combine(Path.GetTempPath(), $"threadbook-lock-test-{Guid.NewGuid():N}.txt");
        try
        {
            using var first = ChildProcess.Start(Jobs.AppendUnderLock, gate, log, "A", 8);
            using var second = ChildProcess.Start(Jobs.AppendUnderLock, gate, log, "B", 8);
            first.Join(Patience).Should().BeTrue();
            second.Join(Patience).Should().BeTrue();
            first.Error.Should().BeNull();
            second.Error.Should().BeNull();

            var lines = File.ReadAllLines(log);
            lines.Should().HaveCount(32);
            for (var i = 0; i < lines.Length; i += 2)
            {
                var tag = lines[i].Split(' ')[0];
                lines[i].Should().Be($"{tag} begin");
                lines[i + 1].Should().Be($"{tag} end", "no other process wrote between a holder's begin and end (line {0})", i + 2);
            }

            lines.Should().Contain("A begin").And.Contain("B begin");
        }
        finally
        {
            File.Delete(log);
        }
    }

    [Fact]
    public void a_child_cannot_take_it_while_the_parent_holds_it()
    {
        using var gate = ProcessLock.Create();
        using (gate.Hold())
        {
            using var whileHeld = ChildProcess.Start(Jobs.TryAcquire, gate);
            whileHeld.Join(Patience).Should().BeTrue();
            whileHeld.Result.Should().Be(false);
            gate.OwnerProcessId.Should().Be(Environment.ProcessId);
        }

        using var afterRelease = ChildProcess.Start(Jobs.TryAcquire, gate);
        afterRelease.Join(Patience).Should().BeTrue();
        afterRelease.Result.Should().Be(true);
        gate.IsHeld.Should().BeFalse();
    }

    [Fact]
    public void it_is_reentrant_for_the_holding_thread_and_excludes_other_threads()
    {
        using var gate = ProcessLock.Create();
        gate.Acquire();
        gate.Acquire();
        gate.RecursionCount.Should().Be(2);

        bool OtherThreadTakes()
        {
            var taken = false;
            var thread = new Thread(() =>
            {
                taken = gate.Acquire(TimeSpan.Zero);
                if (taken)
                {
                    gate.Release();
                }
            });
            thread.Start();
            thread.Join();
            return taken;
        }

        OtherThreadTakes().Should().BeFalse();
        gate.Release();
        OtherThreadTakes().Should().BeFalse("one release of two leaves it held");
        gate.Release();
        gate.IsHeld.Should().BeFalse();
        OtherThreadTakes().Should().BeTrue();
    }

    [Fact]
    public void releasing_a_lock_you_do_not_hold_is_refused_naming_the_holder()
    {
        using var gate = ProcessLock.Create();
        gate.Invoking(g => g.Release()).Should().Throw<SynchronizationLockException>().WithMessage("*not held*");

        using (gate.Hold())
        {
            Exception? error = null;
            var thread = new Thread(() =>
            {
                try
                {
                    gate.Release();
                }
                catch (Exception e)
                {
                    error = e;
                }
            });
            thread.Start();
            thread.Join();
            error.Should().BeOfType<SynchronizationLockException>().Which.Message.Should().Contain($"process {Environment.ProcessId}");
        }
    }

    [Fact]
    public void a_lock_whose_holder_died_is_taken_over()
    {
        using var gate = ProcessLock.Create();
        using var holder = ChildProcess.Start(Jobs.AcquireAndExit, gate);
        holder.Join(Patience).Should().BeTrue();
        gate.OwnerProcessId.Should().Be(holder.Pid, "the child died holding it");

        gate.Acquire(TimeSpan.FromSeconds(5)).Should().BeTrue("a waiter notices the dead holder and takes the lock over");

        gate.Recoveries.Should().Be(1);
        gate.OwnerProcessId.Should().Be(Environment.ProcessId);
        gate.Release();
    }

    [Fact]
    public void dispose_removes_its_shared_memory_file()
    {
        var gate = ProcessLock.Create();
        var path = Path.Combine(SharedArray.Folder, gate.Name);
        File.Exists(path).Should().BeTrue();

        gate.Dispose();

        File.Exists(path).Should().BeFalse();
    }
}
