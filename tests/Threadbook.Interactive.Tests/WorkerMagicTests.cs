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
    public async Task a_cell_without_classes_is_refused_with_an_example()
    {
        var events = await kernel.SubmitAsync("#!worker\nvar x = 1;");

        events.Failures().Should().ContainSingle().Which.Should().Contain("at least one class");
    }
}
