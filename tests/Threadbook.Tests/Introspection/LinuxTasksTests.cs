using Threadbook.Introspection;

namespace Threadbook.Tests.Introspection;

public class LinuxTasksTests
{
    [Fact]
    public void stat_line_with_spaces_and_parentheses_in_the_name_is_parsed()
    {
        // proc(5): pid (comm) state ppid ... utime(14) stime(15) ... processor(39)
        var fields = Enumerable.Range(4, 36).Select(i => i switch { 14 => "250", 15 => "50", 39 => "1", _ => "0" });
        var stat = $"4242 (.NET (odd) name) S {string.Join(' ', fields)}";

        var info = LinuxTasks.ParseStat(4242, stat, ticksPerSecond: 100, isCalling: true);

        info.Should().NotBeNull();
        info!.Name.Should().Be(".NET (odd) name");
        info.State.Should().Be("sleeping");
        info.CpuTime.Should().Be(TimeSpan.FromSeconds(3));
        info.LastCpu.Should().Be(1);
        info.IsCallingThread.Should().BeTrue();
    }

    [Theory]
    [InlineData("")]
    [InlineData("12 no-parentheses R 1 2")]
    [InlineData("12 (short) R 1 2")]
    public void malformed_stat_lines_give_no_thread(string stat)
    {
        LinuxTasks.ParseStat(12, stat, 100, false).Should().BeNull();
    }

    [Theory]
    [InlineData("R", "running")]
    [InlineData("S", "sleeping")]
    [InlineData("D", "waiting on I/O")]
    [InlineData("Q", "Q")]
    public void state_codes_are_described_in_words(string code, string words)
    {
        LinuxTasks.DescribeState(code).Should().Be(words);
    }
}
