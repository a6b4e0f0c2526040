namespace Threadbook.Interactive.Tests;

/// <summary>#!worker compiles a cell's classes for child processes and defines them in the kernel too.</summary>
public class WorkerMagicTests(ExtensionKernel kernel) : IClassFixture<ExtensionKernel>
{
    [Fact]
    public async Task a_worker_cell_is_compiled_to_disk_and_usable_in_the_kernel()
    {
        var compiled = (await kernel.SubmitAsync("""
            #!worker
            public static class Jobs
            {
                public static int Foo(int i) => i + 100;
            }
            """)).ShouldSucceed();

        compiled.Shown("text/plain").Should().ContainSingle(t => t.StartsWith("Worker code ready: Jobs"));
        var events = (await kernel.SubmitAsync("""
            var location = Threadbook.Processes.WorkerAssemblies.LocationOf(typeof(Jobs));
            Console.Write($"{Jobs.Foo(1)} {System.IO.File.Exists(location)} {System.IO.Path.GetFileName(location)}");
            """)).ShouldSucceed();
        var output = string.Concat(events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value));
        output.Should().MatchRegex(@"^101 True ThreadbookWorkerCode\d+_[0-9A-F]{8}\.dll$");
    }

    [Fact]
    public async Task the_assembly_on_disk_really_holds_the_code()
    {
        (await kernel.SubmitAsync("#!worker\npublic static class Doubler { public static int Twice(int x) => 2 * x; }")).ShouldSucceed();

        var events = (await kernel.SubmitAsync("""
            var path = Threadbook.Processes.WorkerAssemblies.LocationOf(typeof(Doubler))!;
            var loaded = new System.Runtime.Loader.AssemblyLoadContext("check", isCollectible: true).LoadFromAssemblyPath(path);
            Console.Write(loaded.GetType("Doubler")!.GetMethod("Twice")!.Invoke(null, [21]));
            """)).ShouldSucceed();

        string.Concat(events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value)).Should().Be("42");
    }

    [Fact]
    public async Task compile_errors_name_the_cell_line()
    {
        var events = await kernel.SubmitAsync("""
            #!worker
            public static class Broken
            {
                public static int Foo() => "not a number";
            }
            """);

        events.Failures().Should().ContainSingle().Which.Should().Contain("cell line 4").And.Contain("CS0029");
    }

    [Fact]
    public async Task compile_errors_count_lines_above_the_magic_and_blank_lines_after_it()
    {
        var events = await kernel.SubmitAsync("""
            // a comment above the magic

            #!worker

            public static class BrokenLower
            {
                public static int Foo() => "not a number";
            }
            """);

        events.Failures().Should().ContainSingle().Which.Should().Contain("cell line 7").And.Contain("CS0029");
    }

    [Fact]
    public async Task an_exception_in_a_child_process_names_the_cell_line_that_threw()
    {
        (await kernel.SubmitAsync("""
            #!worker
            public static class ThrowsOnLineSix
            {
                public static int Fail(int i)
                {
                    if (i > 0) throw new System.InvalidOperationException($"failed on purpose with {i}");
                    return i;
                }
            }
            """)).ShouldSucceed();

        var events = (await kernel.SubmitAsync("""
            var child = Threadbook.Processes.ChildProcess.Start(ThrowsOnLineSix.Fail, 3);
            child.Join();
            child.Dispose();
            var error = Threadbook.Processes.RemoteException.Of(child.Error!)!; // the child's InvalidOperationException carries it
            Console.Write($"{error.ProcessId != Environment.ProcessId}|{error.RemoteLocation}|{error.Message}|{error.RemoteStackTrace}");
            """)).ShouldSucceed();

        var printed = string.Concat(events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value)).Split('|');
        printed[0].Should().Be("True", "the exception was raised in the child process");
        printed[1].Should().Be("#!worker cell line 6");
        printed[2].Should().Contain("failed on purpose with 3").And.EndWith("at #!worker cell line 6)");
        printed[3].Should().Contain("ThrowsOnLineSix.Fail(Int32 i) in #!worker cell:line 6");
    }

    [Fact]
    public async Task an_exception_in_a_pool_task_names_the_cell_line_of_each_frame()
    {
        (await kernel.SubmitAsync("""
            #!worker

            public static class NestedThrow
            {
                public static int Outer(int i) => Inner(i) + 1;

                [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
                private static int Inner(int i) =>
                    throw new System.ArgumentOutOfRangeException(nameof(i), i, "too big");
            }
            """)).ShouldSucceed();

        var events = (await kernel.SubmitAsync("""
            var pool = new Threadbook.Processes.ProcessPool(1);
            try { pool.Apply(NestedThrow.Outer, [7]); } catch (System.ArgumentOutOfRangeException thrown) { var e = Threadbook.Processes.RemoteException.Of(thrown)!; Console.Write(e.Message + "|" + e.RemoteStackTrace); }
            finally { pool.Dispose(); }
            """)).ShouldSucceed();

        var printed = string.Concat(events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value)).Split('|');
        printed[0].Should().Contain("too big").And.EndWith("at #!worker cell line 9)", "the message names the line that threw");
        printed[1].Should().Contain("NestedThrow.Inner(Int32 i) in #!worker cell:line 9").And.Contain("NestedThrow.Outer(Int32 i) in #!worker cell:line 5");
    }

    [Fact]
    public async Task an_exception_type_declared_in_a_worker_cell_is_caught_as_that_type_in_the_notebook()
    {
        (await kernel.SubmitAsync("""
            #!worker
            public class TooManyCooks : System.Exception
            {
                public TooManyCooks(string message, System.Exception? inner) : base(message, inner) { }
            }

            public static class Kitchen
            {
                public static int Cook(int cooks) => throw new TooManyCooks($"{cooks} cooks", null);
            }
            """)).ShouldSucceed();

        var events = (await kernel.SubmitAsync("""
            var pool = new Threadbook.Processes.ProcessPool(1);
            try { pool.Apply(Kitchen.Cook, [3]); Console.Write("no exception"); }
            catch (TooManyCooks e) { Console.Write("caught " + e.Message + " from " + (Threadbook.Processes.RemoteException.Of(e)!.ProcessId != Environment.ProcessId ? "a worker" : "here")); }
            finally { pool.Dispose(); }
            """)).ShouldSucceed();

        string.Concat(events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value))
            .Should().Be("caught 3 cooks from a worker", "the notebook's own TooManyCooks (a Submission#N type) is rebuilt");
    }

    [Fact]
    public async Task a_task_whose_worker_code_was_deleted_fails_naming_the_missing_file_and_its_worker_runs_on()
    {
        (await kernel.SubmitAsync("#!worker\npublic static class Vanishing { public static int Seven() => 7; }")).ShouldSucceed();
        (await kernel.SubmitAsync("#!worker\npublic static class Survivor { public static int Eight() => 8; }")).ShouldSucceed();

        var events = (await kernel.SubmitAsync("""
            using Threadbook.Processes;
            using (var before = new ProcessPool(1)) { Console.Write(before.Apply(Vanishing.Seven) + "|"); }
            var path = WorkerAssemblies.LocationOf(typeof(Vanishing))!;
            System.IO.File.Delete(path);
            // New workers are told the recently used functions (Vanishing.Seven among them) and load them while they
            // wait: that load now fails, and must be reported by the task that needs it.
            WarmWorkers.Release();
            using (var after = new ProcessPool(1))
            {
                try { after.Apply(Vanishing.Seven); Console.Write("ran|"); }
                catch (Exception thrown) when (RemoteException.Of(thrown) is { } e) { Console.Write(e.RemoteTypeName + "|" + e.RemoteMessage + "|"); }
                Console.Write(after.Apply(Survivor.Eight) + "|" + path);
            }
            """)).ShouldSucceed();

        var printed = string.Concat(events.OfType<Microsoft.DotNet.Interactive.Events.StandardOutputValueProduced>().Select(e => e.FormattedValues.First().Value)).Split('|');
        printed[0].Should().Be("7", "the function ran while its assembly existed");
        printed[1].Should().Be("System.IO.FileNotFoundException");
        printed[2].Should().Contain("Vanishing.Seven").And.Contain(printed[4], "the message names the function and the missing file");
        printed[3].Should().Be("8", "the worker whose load failed still runs other functions");
    }

    [Fact]
    public async Task a_cell_without_classes_is_refused_with_an_example()
    {
        var events = await kernel.SubmitAsync("#!worker\nvar x = 1;");

        events.Failures().Should().ContainSingle().Which.Should().Contain("at least one class");
    }
}
