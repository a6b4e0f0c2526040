using System.Diagnostics;
using System.Text;
using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class CpuSamplingTests
{
    [Theory]
    [InlineData("4242 (python3) R 1 2", "python3", 'R')]
    [InlineData("4242 (my worker) S 1 2", "my worker", 'S')]
    [InlineData("4242 (a) (b)) D 1 2", "a) (b)", 'D')]
    [InlineData("4242 ()) R 1 2", ")", 'R')]
    public void stat_lines_with_odd_names_give_the_name_state_and_cpu_ticks(string start, string name, char state)
    {
        var line = start + " " + string.Join(' ', Enumerable.Range(6, 34).Select(field => field switch { 14 => "7", 15 => "5", _ => "0" }));

        ProcStat.TryParse(line, out var parsedName, out var parsedState, out var ticks).Should().BeTrue();

        parsedName.Should().Be(name);
        parsedState.Should().Be(state);
        ticks.Should().Be(12);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 no-parentheses R 1 2")]
    [InlineData("12 (cut) R 1 2 3")]
    [InlineData("12 (two letters) RS 1 2 3 4 5 6 7 8 9 10 11 12 13 14")]
    public void malformed_stat_lines_are_refused(string line)
    {
        ProcStat.TryParse(line, out _, out _, out _).Should().BeFalse();
    }

    [Fact]
    public void schedstat_gives_run_and_wait_nanoseconds()
    {
        ProcStat.TryParseSchedStat(Encoding.ASCII.GetBytes("57502641 676648 14\n"), out var run, out var wait).Should().BeTrue();

        (run, wait).Should().Be((57502641L, 676648L));
        ProcStat.TryParseSchedStat(Encoding.ASCII.GetBytes("garbage"), out _, out _).Should().BeFalse();
    }

    [Fact]
    public void the_share_counts_intervals_with_two_on_a_cpu_against_those_with_at_least_one()
    {
        // Ten 1 ms intervals: A runs in 0-5, B in 4-9; both in 4 and 5; nobody in none.
        var sampling = Synthetic(
            ("A", "CCCCCCSSSS"),
            ("B", "SSSSCCCCCC"));

        sampling.BusyTime.TotalMilliseconds.Should().BeApproximately(10, 0.01);
        sampling.OverlapTime.TotalMilliseconds.Should().BeApproximately(2, 0.01);
        sampling.OverlapShare.Should().BeApproximately(0.2, 1e-9);
        sampling.MostOnCpuAtOnce.Should().Be(2);
        sampling.ShareSentence.Should().Contain("20%");
    }

    [Fact]
    public void time_nobody_ran_is_left_out_of_the_share_and_ready_is_not_on_a_cpu()
    {
        var sampling = Synthetic(
            ("A", "CCSSSS.."),
            ("B", "RRSSSSCC"));

        sampling.BusyTime.TotalMilliseconds.Should().BeApproximately(4, 0.01);
        sampling.OverlapShare.Should().Be(0);
        sampling.TimeIn(sampling.Threads[1], CpuState.Ready).TotalMilliseconds.Should().BeApproximately(2, 0.01);
        sampling.Only(t => t.Name == "A").OverlapShare.Should().Be(0);
        Synthetic(("A", "SSSS")).OverlapShare.Should().BeNull();
    }

    [Fact]
    public void time_spent_ready_says_how_much_the_threads_waited_for_a_core()
    {
        // Two threads want a CPU all eight intervals; on one free core they take turns, each ready while the other runs.
        var oneCoreForTwo = Synthetic(("A", "CRCRCRCR"), ("B", "RCRCRCRC"));
        var twoFreeCores = Synthetic(("A", "CCCCCCCC"), ("B", "CCCCCCSS"));

        oneCoreForTwo.WaitingForCoreShare.Should().BeApproximately(0.5, 1e-9);
        oneCoreForTwo.OverlapShare.Should().Be(0);
        twoFreeCores.WaitingForCoreShare.Should().Be(0);
        Synthetic(("A", "SS..")).WaitingForCoreShare.Should().BeNull();
    }

    [Fact]
    public void lanes_past_the_limit_are_folded_into_one_that_is_on_a_cpu_when_any_of_them_is()
    {
        var threads = Enumerable.Range(0, 200).Select(i => ($"t{i}", i == 7 ? "CCCCCCCC" : i % 3 == 0 ? "SCSSSSSS" : i % 3 == 1 ? "SSRSSSSS" : "......SS")).ToArray();
        var sampling = Synthetic(threads);

        var lanes = sampling.Lanes(40, out var folded);

        folded.Should().Be(161);
        lanes.Should().HaveCount(40);
        lanes[^1].Name.Should().Be("161 more threads (folded)");
        lanes.Take(39).Should().Contain(t => t.Name == "t7", "the busiest thread keeps its lane");
        lanes[^1].States.Should().Equal(CpuState.Sleeping, CpuState.OnCpu, CpuState.Ready, CpuState.Sleeping, CpuState.Sleeping, CpuState.Sleeping, CpuState.Sleeping, CpuState.Sleeping);
        sampling.Lanes(200, out var none).Should().HaveCount(200);
        none.Should().Be(0);
        var tooFew = () => sampling.Lanes(1, out _);
        tooFew.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void renamed_threads_keep_their_states()
    {
        var sampling = Synthetic(("python3", "CS"), ("python3", "SC"));

        var renamed = sampling.Renamed(t => t.ThreadId == 2 ? "worker-1" : null);

        renamed.Threads.Select(t => t.Name).Should().Equal("python3", "worker-1");
        renamed.Threads[1].States.Should().Equal(sampling.Threads[1].States);
    }

    /// <summary>A sampling of 1 ms intervals: C on a CPU, R ready, S sleeping, . absent; thread ids are 1, 2, …</summary>
    internal static CpuSampling Synthetic(params (string Name, string States)[] threads)
    {
        var intervals = threads[0].States.Length;
        var times = Enumerable.Range(0, intervals + 1).Select(i => 1_000_000L + (i * Stopwatch.Frequency / 1000)).ToArray();
        var sampled = threads.Select((t, i) => new SampledThread(100, i + 1, t.Name, t.States.Select(c => c switch
        {
            'C' => CpuState.OnCpu,
            'R' => CpuState.Ready,
            'S' => CpuState.Sleeping,
            _ => CpuState.Absent,
        }).ToArray())).ToArray();
        return new CpuSampling(times, sampled, CpuSignal.RunTime, TimeSpan.FromMilliseconds(0.1));
    }
}
