using Threadbook.Introspection;
using Threadbook.Python;
using Threadbook.Tracing;

namespace Threadbook.Tests.Python;

public class PythonTimelineTests
{
    private static bool HasPython => File.Exists(PythonProgram.DefaultInterpreter);

    [Fact]
    public async Task sampled_lanes_carry_python_thread_names_and_the_output_is_unchanged()
    {
        if (!HasPython)
        {
            return; // nothing to sample without an interpreter
        }

        const string code = """
            import threading, time
            class Worker(threading.Thread):
                def run(self):
                    time.sleep(0.05)
            w = Worker(name="named worker")
            p = threading.Thread(target=time.sleep, args=(0.05,), name="plain")
            w.start(); p.start(); w.join(); p.join()
            print("done", threading.active_count())
            """;
        var plain = await new PythonProgram(code).RunAsync();
        var sampled = await new PythonProgram(code) { SampleThreads = true }.RunAsync();

        sampled.Succeeded.Should().BeTrue(sampled.Error);
        sampled.Output.Should().Be(plain.Output).And.Be("done 1\n");
        sampled.Error.Should().BeEmpty();
        sampled.SamplingSkipped.Should().BeNull();
        sampled.Sampling!.Threads.Select(t => t.Name).Should().Contain(["MainThread", "named worker", "plain"]);
        plain.Sampling.Should().BeNull();
    }

    [Fact]
    public async Task a_traceback_keeps_its_line_numbers_under_the_prelude()
    {
        if (!HasPython)
        {
            return;
        }

        var result = await new PythonProgram("x = 1\nraise ValueError('line two')") { SampleThreads = true }.RunAsync();

        result.Traceback.Should().Contain("File \"<python cell>\", line 2, in <module>").And.EndWith("ValueError: line two");
        result.Traceback!.Split('\n').Should().HaveCount(4, "the prelude adds no frame");
    }

    [Fact]
    public async Task without_a_proc_file_system_the_program_runs_and_the_reason_is_given()
    {
        if (!HasPython)
        {
            return;
        }

        var missing = Path.Combine(Path.GetTempPath(), $"no-proc-{Guid.NewGuid():N}");
        var result = await new PythonProgram("print('still ran')") { SampleThreads = true, ProcRoot = missing }.RunAsync();

        result.Succeeded.Should().BeTrue();
        result.Output.Should().Be("still ran\n");
        result.Sampling.Should().BeNull();
        result.SamplingSkipped.Should().Contain(missing);
    }

    [Fact]
    public async Task two_hundred_threads_are_sampled_and_drawn_folded_past_the_lane_limit()
    {
        if (!HasPython)
        {
            return;
        }

        var result = await new PythonProgram("""
            import threading
            gate = threading.Event()
            ts = [threading.Thread(target=gate.wait, name=f"t{i}") for i in range(200)]
            for t in ts: t.start()
            threading.Event().wait(0.3)
            gate.set()
            for t in ts: t.join()
            """) { SampleThreads = true }.RunAsync();

        result.Succeeded.Should().BeTrue(result.Error);
        result.Sampling!.Threads.Should().HaveCountGreaterThanOrEqualTo(201);
        var svg = new CpuTimeline(result.Sampling, "200 threads").ToSvg();
        svg.Should().Contain("threads: the 39 busiest are drawn; the last lane folds the other");
        svg.Should().Contain("more threads (folded)");
    }
}
